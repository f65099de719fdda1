{{if eq .Dialect "pg"}}
{{range $t := .ChangeTables}}
DROP TRIGGER {{$t}}_notify_change ON {{$t}};
--bun:split
{{end}}
DROP FUNCTION smartinv_notify_change();
{{else if eq .Dialect "mysql"}}
{{range $t := .ChangeTables}}
DROP TRIGGER {{$t}}_insert_change;
--bun:split
DROP TRIGGER {{$t}}_update_change;
--bun:split
DROP TRIGGER {{$t}}_delete_change;
--bun:split
{{end}}
DROP TABLE smartinv_changes;
{{else}}
SELECT 1;
{{end}}
