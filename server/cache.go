package server

import (
	"container/list"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"
)

// entry is one cached response body.
type entry struct {
	key         string
	body        []byte
	contentType string
	filename    string // Content-Disposition attachment name, "" for inline
	etag        string
}

// lru is a bounded least-recently-used cache of response bodies, bounded
// both by entries and by bytes. Keys start with the data version, so a new
// database version never meets an old entry; dropVersionsExcept frees
// those at once.
type lru struct {
	mu       sync.Mutex
	maxItems int
	maxBytes int64
	bytes    int64
	ll       *list.List
	items    map[string]*list.Element
	group    singleflight.Group

	hits, misses uint64
}

func newLRU(maxItems int, maxBytes int64) *lru {
	if maxItems <= 0 {
		maxItems = 1
	}
	return &lru{maxItems: maxItems, maxBytes: maxBytes, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) (*entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		c.hits++
		return el.Value.(*entry), true
	}
	c.misses++
	return nil, false
}

func (c *lru) put(e *entry) {
	size := int64(len(e.body))
	if c.maxBytes > 0 && size > c.maxBytes {
		return // larger than the whole cache: serve it, do not keep it
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[e.key]; ok {
		c.bytes -= int64(len(el.Value.(*entry).body))
		el.Value = e
		c.ll.MoveToFront(el)
	} else {
		c.items[e.key] = c.ll.PushFront(e)
	}
	c.bytes += size
	for c.ll.Len() > c.maxItems || (c.maxBytes > 0 && c.bytes > c.maxBytes) {
		c.removeElement(c.ll.Back())
	}
}

func (c *lru) removeElement(el *list.Element) {
	e := el.Value.(*entry)
	c.ll.Remove(el)
	delete(c.items, e.key)
	c.bytes -= int64(len(e.body))
}

// dropVersionsExcept removes every entry not of version.
func (c *lru) dropVersionsExcept(version string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prefix := version + "|"
	for el := c.ll.Front(); el != nil; {
		next := el.Next()
		if !strings.HasPrefix(el.Value.(*entry).key, prefix) {
			c.removeElement(el)
		}
		el = next
	}
}

// getOrBuild returns the cached entry or builds it once, however many
// requests ask for it at the same time.
func (c *lru) getOrBuild(key string, build func() (*entry, error)) (*entry, error) {
	if e, ok := c.get(key); ok {
		return e, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		if e, ok := c.get(key); ok {
			return e, nil
		}
		e, err := build()
		if err != nil {
			return nil, err
		}
		e.key = key
		c.put(e)
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*entry), nil
}

func (c *lru) stats() (items int, bytes int64, hits, misses uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.bytes, c.hits, c.misses
}
