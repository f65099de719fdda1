DROP TABLE web_secrets;
