package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

type renderTestRow struct {
	Name  string     `json:"name"`
	Qty   int64      `json:"qty"`
	Price string     `json:"price"`
	When  *time.Time `json:"when"`
}

var renderTestColumns = []Column[renderTestRow]{
	{Header: "NAME", Value: func(i renderTestRow) string { return i.Name }},
	{Header: "QTY", Right: true, Value: func(i renderTestRow) string { return intCell(i.Qty) }},
	{Header: "UNIT PRICE", Right: true, Value: func(i renderTestRow) string { return i.Price }},
	{Header: "LAST SOLD", Key: "sold_at", Value: func(i renderTestRow) string { return optTimeCell(i.When) }},
}

func TestRenderList(t *testing.T) {
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	rows := []renderTestRow{
		{Name: "Cola 330 ml", Qty: 7, Price: "0.95", When: &when},
		{Name: "Tab\there, new\nline", Qty: 1250, Price: "12.50"},
		{Name: "Crème brûlée", Qty: -3, Price: ""},
	}
	tests := []struct {
		format string
		rows   []renderTestRow
		want   string
	}{
		{OutputTable, rows, "" +
			"NAME                 QTY  UNIT PRICE  LAST SOLD\n" +
			"Cola 330 ml            7        0.95  2026-03-04T04:06:07Z\n" +
			"Tab here, new line  1250       12.50  -\n" +
			"Crème brûlée          -3           -  -\n"},
		{OutputTable, nil, "NAME  QTY  UNIT PRICE  LAST SOLD\n"},
		{OutputCSV, rows, "" +
			"name,qty,unit_price,sold_at\n" +
			"Cola 330 ml,7,0.95,2026-03-04T04:06:07Z\n" +
			"\"Tab\there, new\nline\",1250,12.50,\n" +
			"Crème brûlée,-3,,\n"},
		{OutputJSON, rows[2:], `{
  "items": [
    {
      "name": "Crème brûlée",
      "qty": -3,
      "price": "",
      "when": null
    }
  ],
  "total": 1
}
`},
		{OutputJSON, nil, "{\n  \"items\": [],\n  \"total\": 0\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var out bytes.Buffer
			env := &Env{Stdout: &out, Output: tt.format}
			if err := renderList(env, tt.rows, renderTestColumns); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out.String(), tt.want)
			}
		})
	}
}

func TestRenderJSONUsesData(t *testing.T) {
	var out bytes.Buffer
	env := &Env{Stdout: &out, Output: OutputJSON}
	data := map[string]any{"sku": "A&B <1>"}
	if err := render(env, data, []renderTestRow{{Name: "ignored"}}, renderTestColumns); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"sku\": \"A&B <1>\"\n}\n"; out.String() != want {
		t.Errorf("got %q, want %q (data, unescaped)", out.String(), want)
	}
}

func TestCheckOutput(t *testing.T) {
	for _, tt := range []struct {
		format string
		ok     bool
	}{{"table", true}, {"json", true}, {"csv", true}, {"", false}, {"JSON", false}, {"yaml", false}} {
		err := (&Env{Output: tt.format}).checkOutput()
		if (err == nil) != tt.ok {
			t.Errorf("checkOutput(%q) = %v, want ok=%v", tt.format, err, tt.ok)
		}
		if err != nil && exitCode(err) != ExitUsage {
			t.Errorf("checkOutput(%q): exit code %d, want %d", tt.format, exitCode(err), ExitUsage)
		}
		var out bytes.Buffer
		if err := render(&Env{Stdout: &out, Output: tt.format}, nil, []renderTestRow{}, renderTestColumns); (err == nil) != tt.ok || (!tt.ok && out.Len() > 0) {
			t.Errorf("render with %q: err %v, output %q", tt.format, err, out.String())
		}
	}
}

func TestTableCell(t *testing.T) {
	for in, want := range map[string]string{"": "-", "a\tb": "a b", "x\r\ny": "x  y", "ok": "ok", "\x7f": " "} {
		if got := tableCell(in); got != want {
			t.Errorf("tableCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := strings.Join([]string{timeCell(time.Time{}), optTimeCell(nil), boolCell(true), intCell(-42)}, ","); got != ",,true,-42" {
		t.Errorf("cell helpers: %q", got)
	}
}
