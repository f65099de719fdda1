package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
)

// importExportRoutes registers GET /export/{kind}.csv and POST
// /import/{kind} for every kind (static routes: Echo path parameters end
// only at a slash, and the kind is a word, not an id).
func (h *handler) importExportRoutes(g *router) {
	for _, kind := range app.ImportKinds() {
		g.GET("/export/"+kind+".csv", h.handleExport(kind))
		g.POST("/import/"+kind, h.handleImport(kind))
	}
}

// handleExport serves GET /export/{kind}.csv: every record as CSV with a
// header line, streamed, as an attachment. Any role may export.
func (h *handler) handleExport(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		hdr := c.Response().Header()
		hdr.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		hdr.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": kind + ".csv"}))
		hdr.Set(echo.HeaderCacheControl, "no-store")
		// Nothing is written before the role check and the query succeed,
		// so those errors still become problem responses. A failure in the
		// middle of the stream can only cut the body short; it is logged.
		err := h.app.Export(c.Request().Context(), actor(c), c.Response(), kind)
		if err != nil && c.Response().Committed {
			h.logger.ErrorContext(c.Request().Context(), "export failed mid-stream", "kind", kind, "err", err)
			return nil
		}
		return err
	}
}

// handleImport serves POST /import/{kind}: the CSV is the request body
// (text/csv or any non-multipart type) or the "file" part of a
// multipart/form-data upload. ?dry_run=true checks without writing,
// ?decimal_comma=true accepts 12,50. The answer is the ImportSummary (200);
// invalid lines give a 400 problem whose errors[] name each line (index,
// the file line number) and column (field).
func (h *handler) handleImport(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		q := newQuery(c)
		opt := app.ImportOptions{DryRun: q.boolean("dry_run"), DecimalComma: q.boolean("decimal_comma")}
		if err := q.err(); err != nil {
			return err
		}
		body, closeBody, err := importBody(c)
		if err != nil {
			return err
		}
		defer closeBody()
		sum, err := h.app.Import(c.Request().Context(), actor(c), kind, body, opt)
		if err != nil {
			if tooBig := maxBytesError(err); tooBig != nil {
				return tooBig
			}
			return err
		}
		return renderOK(c, sum)
	}
}

// importBody returns the uploaded CSV.
func importBody(c echo.Context) (io.Reader, func(), error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != echo.MIMEMultipartForm {
		return c.Request().Body, func() {}, nil
	}
	fh, err := c.FormFile("file")
	if err != nil {
		if tooBig := maxBytesError(err); tooBig != nil {
			return nil, nil, tooBig
		}
		return nil, nil, &app.Error{Code: app.EINVALID, Message: "Validation failed.",
			Fields: []app.FieldError{{Field: "file", Message: "send the CSV as the multipart part named file"}}}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("open uploaded file: %w", err)
	}
	return f, func() { _ = f.Close() }, nil
}

// maxBytesError turns a body over the server's limit into a 413.
func maxBytesError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || strings.Contains(err.Error(), "request body too large") {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The CSV file is larger than the server accepts; import big files with the command line.")
	}
	return nil
}
