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
