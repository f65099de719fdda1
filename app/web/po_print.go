package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/labstack/echo/v4"

	"smartinventory/views"
)

// poPrintModel loads order :id as the supplier reads it.
func (w *Web) poPrintModel(c echo.Context) (views.POPrintModel, error) {
	id, err := pathID(c)
	if err != nil {
		return views.POPrintModel{}, err
	}
	ctx, a := c.Request().Context(), actor(c)
	po, err := w.app.Purchasing.Order(ctx, a, id)
	if err != nil {
		return views.POPrintModel{}, err
	}
	sup, err := w.app.Catalog.Supplier(ctx, a, po.SupplierID)
	if err != nil {
		return views.POPrintModel{}, err
	}
	ids := make([]int64, len(po.Lines))
	for i, l := range po.Lines {
		ids[i] = l.ProductID
	}
	labels, err := w.app.Catalog.ProductLabels(ctx, a, ids)
	if err != nil {
		return views.POPrintModel{}, err
	}
	m := views.POPrintModel{ID: po.ID, Status: string(po.Status), Supplier: *sup, Total: po.Total().String(), Note: po.Note}
	for _, d := range []struct {
		label string
		at    *time.Time
	}{{"Date", &po.CreatedAt}, {"Ordered", po.OrderedAt}, {"Expected", po.ExpectedAt}} {
		if d.at != nil {
			m.Dates = append(m.Dates, views.Option{Label: d.label, Value: d.at.UTC().Format("2 Jan 2006")})
		}
	}
	for _, l := range po.Lines {
		lb := labels[l.ProductID]
		m.Lines = append(m.Lines, views.POLineView{ProductID: l.ProductID, SKU: lb.SKU, Name: lb.Name, Quantity: l.Quantity,
			UnitCost: l.UnitCost.String(), Total: l.Total().String()})
		m.Units += l.Quantity
	}
	return m, nil
}

// handlePOPrint shows the printable order.
func (w *Web) handlePOPrint(c echo.Context) error {
	m, err := w.poPrintModel(c)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.POPrintPage(w.page(c, fmt.Sprintf("Purchase order #%d", m.ID), "purchase-orders"), m))
}

// handlePOPDF sends the order as an A4 PDF.
func (w *Web) handlePOPDF(c echo.Context) error {
	m, err := w.poPrintModel(c)
	if err != nil {
		return err
	}
	b, err := poPDF(m)
	if err != nil {
		return fmt.Errorf("render purchase order %d as PDF: %w", m.ID, err)
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="purchase-order-%d.pdf"`, m.ID))
	return c.Blob(http.StatusOK, "application/pdf", b)
}

// poPDF lays the order out on A4 pages with the core Helvetica font
// (texts are converted to its Latin-1 code page).
func poPDF(m views.POPrintModel) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(fmt.Sprintf("Purchase order #%d", m.ID), true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, tr(fmt.Sprintf("Purchase order #%d", m.ID)), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	for _, d := range m.Dates {
		pdf.CellFormat(0, 5, tr(d.Label+": "+d.Value), "", 1, "L", false, 0, "")
	}
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 10)
	pdf.CellFormat(0, 5, "To", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	for _, s := range []string{m.Supplier.Name, m.Supplier.ContactName, m.Supplier.Email, m.Supplier.Phone} {
		if s != "" {
			pdf.CellFormat(0, 5, tr(s), "", 1, "L", false, 0, "")
		}
	}
	pdf.Ln(4)
	widths := []float64{35, 75, 22, 24, 24}
	header := func() {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetFillColor(241, 245, 249)
		for i, h := range []string{"SKU", "Product", "Quantity", "Unit cost", "Total"} {
			align := "R"
			if i < 2 {
				align = "L"
			}
			pdf.CellFormat(widths[i], 7, h, "B", 0, align, true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 9)
	}
	pdf.SetHeaderFunc(func() {
		if pdf.PageNo() > 1 {
			header()
		}
	})
	header()
	for _, l := range m.Lines {
		cells := []string{l.SKU, l.Name, views.FormatNumber(l.Quantity), l.UnitCost, l.Total}
		for i, v := range cells {
			align := "R"
			if i < 2 {
				align = "L"
			}
			txt := tr(v)
			for pdf.GetStringWidth(txt) > widths[i]-2 && len(txt) > 1 {
				txt = txt[:len(txt)-1]
			}
			pdf.CellFormat(widths[i], 6, txt, "", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.CellFormat(widths[0]+widths[1], 7, "Total", "T", 0, "L", false, 0, "")
	pdf.CellFormat(widths[2], 7, views.FormatNumber(m.Units), "T", 0, "R", false, 0, "")
	pdf.CellFormat(widths[3], 7, "", "T", 0, "R", false, 0, "")
	pdf.CellFormat(widths[4], 7, m.Total, "T", 1, "R", false, 0, "")
	if m.Note != "" {
		pdf.Ln(4)
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 5, tr("Note: "+m.Note), "", "L", false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
