{{if eq .Dialect "mysql"}}
{{range $t := .PromoTables}}
DROP TRIGGER IF EXISTS {{$t}}_insert_change;
--bun:split
DROP TRIGGER IF EXISTS {{$t}}_update_change;
--bun:split
DROP TRIGGER IF EXISTS {{$t}}_delete_change;
--bun:split
{{end}}
{{end}}
DROP TABLE planned_prices;
--bun:split
DROP TABLE promotions;
