//go:build unix

package server

import (
	"os"
	"syscall"
)

// devIno returns the file's device and inode: a file renamed over the
// database has a new inode even when its size and time happen to match.
func devIno(fi os.FileInfo) (uint64, uint64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), uint64(st.Ino)
	}
	return 0, 0
}

// writeLocked reports whether another process holds a write lock on the
// file (DuckDB takes one for a read-write open): it asks whether a shared
// lock could be taken, without taking it.
func writeLocked(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_RDLCK, Whence: 0, Start: 0, Len: 0}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false, err
	}
	return lk.Type == syscall.F_WRLCK, nil
}
