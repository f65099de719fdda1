//go:build !linux

package main

import "syscall"

// benchSysProcAttr: only Linux can tie a child's life to its parent's.
func benchSysProcAttr() *syscall.SysProcAttr { return nil }
