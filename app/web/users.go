package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/views"
)

// userRoutes registers the user pages (admins only). Users are
// deactivated, never deleted, so that the audit trail keeps its names.
func (w *Web) userRoutes(r router) {
	r.GET("/users", w.handleUserList, db.RoleAdmin)
	r.GET("/users/new", w.handleUserNew, db.RoleAdmin)
	r.POST("/users", w.handleUserCreate, db.RoleAdmin)
	r.GET("/users/:id/edit", w.handleUserEdit, db.RoleAdmin)
	r.POST("/users/:id", w.handleUserUpdate, db.RoleAdmin)
}

// userSorts are the sortable columns of the user list.
var userSorts = map[string]func(a, b db.User) int{
	"username": func(a, b db.User) int { return cmp.Compare(a.Username, b.Username) },
	"role":     func(a, b db.User) int { return cmp.Compare(a.Role.Rank(), b.Role.Rank()) },
	"last_login_at": func(a, b db.User) int {
		var x, y int64
		if a.LastLoginAt != nil {
			x = a.LastLoginAt.UnixNano()
		}
		if b.LastLoginAt != nil {
			y = b.LastLoginAt.UnixNano()
		}
		return cmp.Compare(x, y)
	},
}

// handleUserList lists users. The service returns every user (a shop has
// few), so search, the role filter, sorting and paging happen here.
func (w *Web) handleUserList(c echo.Context) error {
	l := newList(c, "/users", "#user-results", "username")
	all, err := w.app.Users.ListUsers(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	q, role := strings.ToLower(l.Query.Get("q")), l.Query.Get("role")
	items := make([]db.User, 0, len(all))
	for _, u := range all {
		if (q == "" || strings.Contains(strings.ToLower(u.Username+" "+u.DisplayName), q)) && (role == "" || string(u.Role) == role) {
			items = append(items, u)
		}
	}
	key := strings.TrimPrefix(l.Sort(), "-")
	if less, ok := userSorts[key]; ok {
		slices.SortStableFunc(items, less)
		if strings.HasPrefix(l.Sort(), "-") {
			slices.Reverse(items)
		}
	}
	l.Total = len(items)
	items = items[min(offset(l), len(items)):min(offset(l)+l.PageSize, len(items))]
	m := views.UsersModel{List: l, Items: items}
	p := w.page(c, "Users", "users")
	return w.renderList(c, l, views.UsersPage(p, m), views.UserResults(p, m))
}

func userValues(u *db.User) map[string]string {
	return map[string]string{"username": u.Username, "display_name": u.DisplayName, "role": string(u.Role),
		"active": strconv.FormatBool(u.Active), "version": views.Itoa(u.Version)}
}

func (w *Web) renderUserForm(c echo.Context, status int, id int64, f views.Form) error {
	title := "New user"
	if id != 0 {
		title = "Edit " + f.Value("username")
	}
	return w.render(c, status, views.UserFormPage(w.page(c, title, "users"), views.EditModel{ID: id, Form: f, Base: "/users"}))
}

// findUser returns the user with id.
func (w *Web) findUser(c echo.Context, id int64) (*db.User, error) {
	return w.app.Users.User(c.Request().Context(), actor(c), id)
}

// userInput reads the user form; an empty password leaves it unchanged.
func userInput(c echo.Context, r *formReader) app.UserInput {
	role := db.Role(r.form.Values["role"])
	in := app.UserInput{DisplayName: r.str("display_name"), Role: &role, Active: r.bool("active")}
	if pw := c.FormValue("password"); pw != "" {
		in.Password = &pw
	}
	return in
}

// handleUserNew shows the empty user form.
func (w *Web) handleUserNew(c echo.Context) error {
	f := views.NewForm()
	f.Values = map[string]string{"role": "clerk", "active": "true"}
	return w.renderUserForm(c, http.StatusOK, 0, f)
}

// handleUserCreate creates a user or shows the form with errors.
func (w *Web) handleUserCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := userInput(c, r)
	in.Username = r.str("username")
	if in.Password == nil {
		in.Password = new(string)
	}
	r.form.Values["password"] = "" // shown empty, but a field: its errors go beside it
	u, err := w.app.Users.CreateUser(c.Request().Context(), actor(c), in)
	if applyError(&r.form, err, nil) {
		return w.renderUserForm(c, formStatus(err), 0, r.form)
	}
	if err != nil {
		return err
	}
	w.flashf(c, views.FlashSuccess, "User %s created.", u.Username)
	return redirect(c, "/users")
}

// handleUserEdit shows the edit form.
func (w *Web) handleUserEdit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	u, err := w.findUser(c, id)
	if err != nil {
		return err
	}
	f := views.NewForm()
	f.Values = userValues(u)
	return w.renderUserForm(c, http.StatusOK, id, f)
}

// handleUserUpdate saves an edit; a stale version shows the conflict view.
func (w *Web) handleUserUpdate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := userInput(c, r)
	in.Version = r.int64("version")
	r.form.Values["password"] = ""
	if !r.ok() {
		return w.renderUserForm(c, http.StatusBadRequest, id, r.form)
	}
	u, err := w.app.Users.UpdateUser(c.Request().Context(), actor(c), id, in)
	if cur, ok := staleCurrent(err).(*db.User); ok {
		r.form.Conflict = w.conflict(c, "user", id, cur.Version, cur.UpdatedAt, userValues(cur), "/users/"+views.Itoa(id)+"/edit")
		r.form.Values["version"] = views.Itoa(cur.Version)
		return w.renderUserForm(c, http.StatusConflict, id, r.form)
	}
	if applyError(&r.form, err, nil) {
		return w.renderUserForm(c, formStatus(err), id, r.form)
	}
	if err != nil {
		return err
	}
	w.flashf(c, views.FlashSuccess, "User %s saved.", u.Username)
	return redirect(c, "/users")
}
