package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// commentRoutes registers the comment threads of purchase orders and of
// products' restock suggestions: anyone reads them, clerks and up write.
func (w *Web) commentRoutes(r router) {
	r.GET("/fragments/comments/:kind/:id", w.handleComments, db.RoleViewer)
	r.POST("/comments/:kind/:id", w.handleCommentAdd, db.RoleClerk)
}

// commentKinds maps the URL segment of a commented entity to the
// service's entity type.
var commentKinds = map[string]string{"purchase-orders": app.CommentOnOrder, "products": app.CommentOnProduct}

// commentTarget reads :kind and :id; an unknown kind is a 404.
func commentTarget(c echo.Context) (kind, entity string, id int64, err error) {
	kind = c.Param("kind")
	entity, ok := commentKinds[kind]
	if !ok {
		return "", "", 0, echo.NewHTTPError(http.StatusNotFound, "There is nothing to comment on here.")
	}
	id, err = pathID(c)
	return kind, entity, id, err
}

// handleComments is the comment thread fragment.
func (w *Web) handleComments(c echo.Context) error {
	kind, entity, id, err := commentTarget(c)
	if err != nil {
		return err
	}
	return w.renderComments(c, http.StatusOK, kind, entity, id, views.NewForm())
}

// renderComments renders the thread of entity id with form f.
func (w *Web) renderComments(c echo.Context, status int, kind, entity string, id int64, f views.Form) error {
	items, err := w.app.Comments.List(c.Request().Context(), actor(c), entity, id)
	if err != nil {
		return err
	}
	p := w.page(c, "", "")
	m := views.CommentsModel{Kind: kind, ID: id, CanAdd: p.Can(db.RoleClerk), CSRF: p.CSRF, Form: f}
	for _, cm := range items {
		m.Items = append(m.Items, views.CommentView{Username: cm.Username, At: cm.CreatedAt, Body: cm.Body})
	}
	return w.render(c, status, views.Comments(m))
}

// handleCommentAdd adds a comment. htmx gets the thread back (with the
// error next to the field when refused); a plain form post goes back to
// the entity's page with a flash.
func (w *Web) handleCommentAdd(c echo.Context) error {
	kind, entity, id, err := commentTarget(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	_, err = w.app.Comments.Add(c.Request().Context(), actor(c), entity, id, r.form.Value("body"))
	back := "/" + kind + "/" + views.Itoa(id)
	if applyError(&r.form, err, nil) {
		if isHTMX(c) {
			return w.renderComments(c, formStatus(err), kind, entity, id, r.form)
		}
		w.setFlash(c, views.FlashError, errorText(err))
		return redirect(c, back)
	}
	if err != nil {
		return err
	}
	if isHTMX(c) {
		return w.renderComments(c, http.StatusOK, kind, entity, id, views.NewForm())
	}
	w.setFlash(c, views.FlashSuccess, "Comment added.")
	return redirect(c, back)
}
