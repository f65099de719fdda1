package main

import "syscall"

// benchSysProcAttr makes the kernel send SIGTERM to a bench server when
// bench dies, even by SIGKILL, so that no server outlives it. (Pdeathsig
// follows the thread that started the child; Go only ends threads that a
// goroutine locked and did not unlock, which bench does not do.)
func benchSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
