{{if eq .Dialect "pg"}}
{{range $t := .ChangeTables}}
DROP TRIGGER {{$t}}_notify_change ON {{$t}};
{{end}}
DROP FUNCTION smartinv_notify_change();
{{else}}
SELECT 1;
{{end}}
