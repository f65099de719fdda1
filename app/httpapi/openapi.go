package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleOpenAPI serves the OpenAPI 3.1 document of the API.
func (h *handler) handleOpenAPI(c echo.Context) error {
	return c.JSONBlob(http.StatusOK, []byte(`{"openapi":"3.1.0","info":{"title":"Smart Inventory API","version":"1"},"paths":{}}`))
}
