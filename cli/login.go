package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"smartinventory/app/client"
)

func init() { register(newLoginCmd) }

// config is what `smartinventory login` saves: the server the data
// commands use when neither --server/SMARTINV_SERVER nor --db/SMARTINV_DB
// is given, and its token.
type config struct {
	Server string `json:"server"`
	Token  string `json:"token"`
}

// configPath returns $XDG_CONFIG_HOME/smartinventory/config.json (or the
// platform's user config directory).
func configPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory: %w", err)
	}
	return filepath.Join(dir, "smartinventory", "config.json"), nil
}

// loadConfig reads the saved login; nil without one.
func loadConfig() (*config, error) {
	path, err := configPath()
	if err != nil {
		return nil, nil //nolint:nilerr // no config directory: nothing saved
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var c config
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("read %s: %w (run smartinventory login again)", path, err)
	}
	if c.Server == "" {
		return nil, nil
	}
	return &c, nil
}

// saveConfig writes c readable by the user only (0600; directory 0700).
func saveConfig(c config) (string, error) {
	path, err := configPath()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	raw, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode config: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.json")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(append(raw, '\n'))
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
	} else {
		_ = tmp.Close()
	}
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// newLoginCmd saves a server and token for the data commands.
func newLoginCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "login --server URL [--token T]",
		Short: "Save a server and API token so the data commands run against it",
		Long: `login checks an API token against the server (GET /api/v1/me) and saves both
in the user's config directory ($XDG_CONFIG_HOME/smartinventory/config.json,
readable by you only). From then on the data commands (products, sales, stock,
forecast, restock, trends, po, …) run against that server unless --server or
SMARTINV_SERVER names another one, or --db or SMARTINV_DB names a local
database.

The token comes from --token or SMARTINV_TOKEN, else from the first line of
standard input (create one with smartinventory tokens create, or in the web UI).`,
		Example: `  smartinventory login --server https://shop.example.com < token.txt
  smartinventory login --server http://localhost:8080 --token si_…`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if env.Server == "" {
				return usagef("login: give the server with --server URL")
			}
			token := strings.TrimSpace(env.Token)
			if token == "" {
				if fdIsTerminal(env.Stderr) && fdIsTerminal(env.Stdin) {
					fmt.Fprint(env.Stderr, "API token: ")
				}
				line, err := bufio.NewReader(env.Stdin).ReadString('\n')
				if err != nil && line == "" {
					return usagef("login: no token: give --token, set SMARTINV_TOKEN, or pipe it on standard input")
				}
				token = strings.TrimSpace(line)
			}
			if token == "" {
				return usagef("login: the token is empty")
			}
			c, err := client.New(env.Server, token, client.WithUserAgent("smartinventory-cli"))
			if err != nil {
				return usageError{err}
			}
			me, err := c.Me(cmd.Context())
			if err != nil {
				return cliError(remoteError(err))
			}
			path, err := saveConfig(config{Server: c.Server(), Token: token})
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "logged in to %s as %s (%s); saved in %s\n", c.Server(), me.Username, me.Role, path)
			return nil
		},
	}
}
