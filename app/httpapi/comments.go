package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// CommentRequest is the body of a new comment.
type CommentRequest struct {
	Body string `json:"body"`
}

// CommentList is the list of comments on an entity, oldest first.
type CommentList struct {
	Items []db.Comment `json:"items"`
	Total int          `json:"total"`
}

// SettingRequest changes one setting.
type SettingRequest struct {
	Value string `json:"value"`
}

// SettingList lists the shop-wide settings with their current values.
type SettingList struct {
	Items []db.Setting `json:"items"`
}

// commentRoutes registers the comment and settings routes.
func (h *handler) commentRoutes(g *router) {
	g.GET("/purchase-orders/:id/comments", h.commentsOn(app.CommentOnOrder))
	g.POST("/purchase-orders/:id/comments", h.commentOn(app.CommentOnOrder))
	g.GET("/products/:id/comments", h.commentsOn(app.CommentOnProduct))
	g.POST("/products/:id/comments", h.commentOn(app.CommentOnProduct))
	g.GET("/settings", h.handleSettingList)
	g.PUT("/settings/:key", h.handleSettingPut)
}

// commentsOn serves GET …/{id}/comments.
func (h *handler) commentsOn(entity string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		items, err := h.app.Comments.List(c.Request().Context(), actor(c), entity, id)
		if err != nil {
			return err
		}
		return renderOK(c, CommentList{Items: items, Total: len(items)})
	}
}

// commentOn serves POST …/{id}/comments.
func (h *handler) commentOn(entity string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var in CommentRequest
		if err := h.decode(c, &in); err != nil {
			return err
		}
		cm, err := h.app.Comments.Add(c.Request().Context(), actor(c), entity, id, in.Body)
		if err != nil {
			return err
		}
		return render(c, http.StatusCreated, cm)
	}
}

// handleSettingList serves GET /settings: every known key with its value
// (the default when unset).
func (h *handler) handleSettingList(c echo.Context) error {
	items, err := h.app.Settings.List(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return renderOK(c, SettingList{Items: items})
}

// handleSettingPut serves PUT /settings/{key} (managers and admins).
func (h *handler) handleSettingPut(c echo.Context) error {
	var in SettingRequest
	if err := h.decode(c, &in); err != nil {
		return err
	}
	key := c.Param("key")
	ctx := c.Request().Context()
	if err := h.app.Settings.Set(ctx, actor(c), key, in.Value); err != nil {
		return err
	}
	items, err := h.app.Settings.List(ctx, actor(c))
	if err != nil {
		return err
	}
	return renderOK(c, SettingList{Items: items})
}
