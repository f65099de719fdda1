package cli

import (
	"github.com/spf13/cobra"
)

func init() { register(newCompletionCmd) }

// newCompletionCmd replaces cobra's default completion command with one
// that has the same subcommands plus documentation and examples. The
// scripts complete subcommands, flags and the kinds of import and export.
func newCompletionCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `completion prints a script that makes your shell complete smartinventory's
subcommands, flags and arguments (such as the kinds of import and export).
Load it once per session, or install it as shown below; open a new shell
afterwards.

bash (needs the bash-completion package):
  source <(smartinventory completion bash)
  smartinventory completion bash > /etc/bash_completion.d/smartinventory

zsh (completion must be enabled: autoload -U compinit; compinit):
  smartinventory completion zsh > "${fpath[1]}/_smartinventory"

fish:
  smartinventory completion fish > ~/.config/fish/completions/smartinventory.fish

PowerShell:
  smartinventory completion powershell | Out-String | Invoke-Expression`,
		Example: `  source <(smartinventory completion bash)
  smartinventory completion zsh > "${fpath[1]}/_smartinventory"
  smartinventory completion fish > ~/.config/fish/completions/smartinventory.fish`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s takes one shell: bash, zsh, fish or powershell", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			out := env.Stdout
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(out)
			}
			return usagef("unknown shell %q: use bash, zsh, fish or powershell", args[0])
		},
	}
	return cmd
}
