//go:build !linux

package cli

import "syscall"

// benchSysProcAttr: only Linux can tie a child's life to its parent's.
func benchSysProcAttr() *syscall.SysProcAttr { return nil }
