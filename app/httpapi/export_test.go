package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/app/apptest"
	"smartinventory/db"
)

// send posts body with a content type and returns the response.
func send(t *testing.T, s *apptest.Server, path, token, ctype string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	if _, err := out.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, out.Bytes()
}

func TestImportExportAPI(t *testing.T) {
	apptest.EachServer(t, func(t *testing.T, s *apptest.Server) {
		manager, clerk, viewer := s.Token(t, db.RoleManager), s.Token(t, db.RoleClerk), s.Token(t, db.RoleViewer)
		products := "sku,name,unit_price,stock\nA1,Apple,0.50,10\nB2,Pear,0.75,5\n"

		// Roles: clerks may not import the catalogue.
		status, h, body := send(t, s, "/api/v1/import/products", clerk, "text/csv", []byte(products))
		apptest.Problem(t, http.StatusForbidden, h, body)
		if status != http.StatusForbidden {
			t.Fatalf("clerk import: %d", status)
		}

		// Dry run, then the real import as multipart.
		status, _, body = send(t, s, "/api/v1/import/products?dry_run=true", manager, "text/csv", []byte(products))
		sum := apptest.DecodeAs[app.ImportSummary](t, body)
		if status != http.StatusOK || !sum.DryRun || sum.Inserted != 2 || sum.Written {
			t.Fatalf("dry run: %d %s", status, body)
		}
		var mp bytes.Buffer
		w := multipart.NewWriter(&mp)
		part, _ := w.CreateFormFile("file", "products.csv")
		_, _ = part.Write([]byte(products))
		_ = w.Close()
		status, _, body = send(t, s, "/api/v1/import/products", manager, w.FormDataContentType(), mp.Bytes())
		sum = apptest.DecodeAs[app.ImportSummary](t, body)
		if status != http.StatusOK || sum.Inserted != 2 || !sum.Written {
			t.Fatalf("multipart import: %d %s", status, body)
		}

		// Invalid sales: 400 listing each line and column; nothing written.
		sales := "sku;quantity;external_id\nA1;3;t1\nZZ;1;t2\nB2;0;t3\n"
		status, h, body = send(t, s, "/api/v1/import/sales", clerk, "text/csv", []byte(sales))
		p := apptest.Problem(t, http.StatusBadRequest, h, body)
		if status != http.StatusBadRequest || len(p.Errors) != 2 ||
			p.Errors[0].Field != "sku" || *p.Errors[0].Index != 3 || p.Errors[1].Field != "quantity" || *p.Errors[1].Index != 4 {
			t.Fatalf("invalid sales: %d %s", status, body)
		}
		good := "sku,quantity,external_id,unit_price\nA1,3,t1,\"0,45\"\n"
		status, _, body = send(t, s, "/api/v1/import/sales?decimal_comma=true", clerk, "text/csv", []byte(good))
		if status != http.StatusOK || apptest.DecodeAs[app.ImportSummary](t, body).Inserted != 1 {
			t.Fatalf("good sales: %d %s", status, body)
		}

		// Export as a viewer.
		status, h, body = s.Do(t, "GET", "/api/v1/export/sales.csv", viewer, nil)
		if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") ||
			!strings.Contains(h.Get("Content-Disposition"), `attachment; filename=sales.csv`) {
			t.Fatalf("export: %d %v", status, h)
		}
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		if len(lines) != 2 || lines[0] != "id,sold_at,sku,quantity,unit_price,channel,note,external_id" ||
			!strings.HasSuffix(lines[1], ",A1,3,0.45,,,t1") {
			t.Fatalf("export body:\n%s", body)
		}
		status, h, body = s.Do(t, "GET", "/api/v1/export/products.csv", "", nil)
		apptest.Problem(t, http.StatusUnauthorized, h, body)
		if status != http.StatusUnauthorized {
			t.Fatalf("anonymous export: %d", status)
		}
	})
}
