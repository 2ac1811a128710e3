package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// The fast load path. A parser runs in the caller's goroutine and fills
// column buffers of one DuckDB vector's size (2048 rows); full batches go
// over a channel to a chunk table function, jamstat_stream(id), which an
// INSERT INTO main.<table> SELECT ... FROM jamstat_stream(id) running in
// another goroutine consumes inside the load's transaction. Parsing and
// DuckDB's insert thus overlap on two cores, values are written into
// DuckDB's vectors with typed setters (no driver.Value boxing, one cgo call
// per non-empty string and none per number), and rows go straight into the
// main tables with no staging copy. Because everything happens inside one
// transaction, a failed parse, a failed insert or a killed process leaves
// the database as it was.

// colKind is the Go-side type of one streamed column.
type colKind uint8

const (
	kindString  colKind = iota // VARCHAR
	kindInt32                  // INTEGER
	kindInt64                  // BIGINT
	kindFloat64                // DOUBLE
	kindBool                   // BOOLEAN
)

// colSpec describes one streamed column of a canonical table.
type colSpec struct {
	name string
	kind colKind
}

// column holds up to batchRows values of one column; null[i] marks NULL.
type column struct {
	kind colKind
	str  []string
	i32  []int32
	i64  []int64
	f64  []float64
	b    []bool
	null []bool
}

// batchRows is DuckDB's vector size: one batch fills one output chunk.
var batchRows = duckdb.GetDataChunkCapacity()

// batch is batchRows rows of one table in column buffers.
type batch struct {
	n    int
	cols []column
}

func newBatch(specs []colSpec) *batch {
	b := &batch{cols: make([]column, len(specs))}
	for i, s := range specs {
		c := &b.cols[i]
		c.kind = s.kind
		c.null = make([]bool, batchRows)
		switch s.kind {
		case kindString:
			c.str = make([]string, batchRows)
		case kindInt32:
			c.i32 = make([]int32, batchRows)
		case kindInt64:
			c.i64 = make([]int64, batchRows)
		case kindFloat64:
			c.f64 = make([]float64, batchRows)
		case kindBool:
			c.b = make([]bool, batchRows)
		}
	}
	return b
}

// Setters used by the sink for row b.n. Strings are kept as they are
// (Go strings are immutable, so no copy is needed until DuckDB's).

func (b *batch) setStr(c int, v string) {
	b.cols[c].str[b.n] = v
	b.cols[c].null[b.n] = false
}

// setNullableStr stores "" as NULL, as every optional text field is.
func (b *batch) setNullableStr(c int, v string) {
	b.cols[c].str[b.n] = v
	b.cols[c].null[b.n] = v == ""
}

func (b *batch) setInt(c int, p *int) {
	col := &b.cols[c]
	if p == nil {
		col.null[b.n] = true
		return
	}
	col.null[b.n] = false
	col.i32[b.n] = int32(*p)
}

func (b *batch) setInt64(c int, v int64) {
	b.cols[c].null[b.n] = false
	b.cols[c].i64[b.n] = v
}

func (b *batch) setFloat(c int, p *float64) {
	col := &b.cols[c]
	if p == nil {
		col.null[b.n] = true
		return
	}
	col.null[b.n] = false
	col.f64[b.n] = *p
}

func (b *batch) setBool(c int, p *bool) {
	col := &b.cols[c]
	if p == nil {
		col.null[b.n] = true
		return
	}
	col.null[b.n] = false
	col.b[b.n] = *p
}

// fill copies the batch into a DuckDB output chunk.
func (b *batch) fill(chunk duckdb.DataChunk) error {
	for c := range b.cols {
		col := &b.cols[c]
		var err error
		switch col.kind {
		case kindString:
			err = fillColumn(chunk, c, b.n, col.null, col.str)
		case kindInt32:
			err = fillColumn(chunk, c, b.n, col.null, col.i32)
		case kindInt64:
			err = fillColumn(chunk, c, b.n, col.null, col.i64)
		case kindFloat64:
			err = fillColumn(chunk, c, b.n, col.null, col.f64)
		case kindBool:
			err = fillColumn(chunk, c, b.n, col.null, col.b)
		}
		if err != nil {
			return err
		}
	}
	return chunk.SetSize(b.n)
}

// fillColumn writes n values of one column. SetChunkValue keeps the
// concrete type, so numbers are stored without boxing; NULL goes through
// the untyped nil, which is the driver's NULL.
func fillColumn[T any](chunk duckdb.DataChunk, c, n int, null []bool, vals []T) error {
	for i := 0; i < n; i++ {
		var err error
		if null[i] {
			err = duckdb.SetChunkValue[any](chunk, c, i, nil)
		} else {
			err = duckdb.SetChunkValue(chunk, c, i, vals[i])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// errStreamClosed is what a sink sees when the consuming INSERT has ended
// before the parser finished; the INSERT's own error is the one reported.
var errStreamClosed = errors.New("load stream closed: the insert ended early")

// stream carries batches of one table from the sink to jamstat_stream.
type stream struct {
	table   string // for messages
	specs   []colSpec
	cur     *batch        // being filled by the sink
	full    chan *batch   // to the table function
	free    chan *batch   // recycled buffers
	done    chan struct{} // closed when the consuming INSERT returns
	mu      sync.Mutex
	failErr error // set before full is closed when the producer failed
	rows    int64

	// A table whose rows are not the file's main kind (rejected rows, or
	// observations in an employee file) is spooled in memory while the
	// main stream runs and replayed into its own INSERT afterwards.
	live  bool
	spool []*batch

	id     int64
	ctx    context.Context
	result chan streamResult
}

const streamDepth = 4 // batches in flight: enough to keep both sides busy

func newStream(table string, specs []colSpec) *stream {
	s := &stream{
		table: table,
		specs: specs,
		full:  make(chan *batch, streamDepth),
		free:  make(chan *batch, streamDepth+2),
		done:  make(chan struct{}),
	}
	s.cur = newBatch(specs)
	return s
}

// row returns the batch to write the next row into (at index b.n); the
// caller calls commit after setting every column.
func (s *stream) row() *batch { return s.cur }

// commit finishes the current row and ships the batch when it is full.
func (s *stream) commit() error {
	s.cur.n++
	s.rows++
	if s.cur.n < batchRows {
		return nil
	}
	return s.ship()
}

func (s *stream) ship() error {
	if !s.live {
		s.spool = append(s.spool, s.cur)
		s.cur = newBatch(s.specs)
		return nil
	}
	if err := s.send(s.cur); err != nil {
		// The INSERT is gone: drop the batch, so that a parser which
		// carries on regardless keeps getting this error, not a panic.
		s.cur.n = 0
		return err
	}
	select {
	case s.cur = <-s.free:
		s.cur.n = 0
	default:
		s.cur = newBatch(s.specs)
	}
	return nil
}

// end finishes the stream and waits for its INSERT. With failure nil it
// first ships what is left (spooled batches, then the partial one); with a
// failure the table function reports it, failing the INSERT. early is true
// when the INSERT had already ended on its own, so its error is the cause.
func (s *stream) end(failure error) (n int64, insertErr error, early bool) {
	select {
	case <-s.done:
		early = true
	default:
	}
	if failure == nil {
		for _, b := range s.spool {
			if failure = s.send(b); failure != nil {
				break
			}
		}
		s.spool = nil
		if failure == nil && s.cur.n > 0 {
			failure = s.send(s.cur)
		}
	}
	s.mu.Lock()
	s.failErr = failure
	s.mu.Unlock()
	close(s.full)
	r := <-s.result
	streams.Delete(s.id)
	return r.n, r.err, early
}

func (s *stream) send(b *batch) error {
	select {
	case s.full <- b:
		return nil
	case <-s.done:
		return errStreamClosed
	}
}

// next is called by the table function for each output chunk.
func (s *stream) next(chunk duckdb.DataChunk) error {
	var b *batch
	var ok bool
	select {
	case b, ok = <-s.full:
	case <-s.ctx.Done():
		// Cancelled while waiting for the parser: fail the INSERT now.
		return s.ctx.Err()
	}
	if !ok {
		s.mu.Lock()
		err := s.failErr
		s.mu.Unlock()
		if err != nil {
			return fmt.Errorf("load aborted: %w", err)
		}
		return chunk.SetSize(0)
	}
	err := b.fill(chunk)
	select {
	case s.free <- b:
	default:
	}
	return err
}

// Streams are found by the table function through a numeric id, given as
// its literal argument.
var (
	streams  sync.Map // int64 -> *stream
	streamID atomic.Int64
)

// streamSource is the table function's view of one stream.
type streamSource struct{ s *stream }

func (src streamSource) ColumnInfos() []duckdb.ColumnInfo {
	out := make([]duckdb.ColumnInfo, len(src.s.specs))
	for i, c := range src.s.specs {
		t, _ := duckdb.NewTypeInfo(duckdbType(c.kind))
		out[i] = duckdb.ColumnInfo{Name: c.name, T: t}
	}
	return out
}

func (streamSource) Cardinality() *duckdb.CardinalityInfo { return nil }

// Init: the source is sequential, one DuckDB thread, so rows keep the
// file's order. (Two threads with preserve_insertion_order off were
// measured too: no faster on two cores, as the parser needs one.)
func (streamSource) Init() {}

func (src streamSource) FillChunk(chunk duckdb.DataChunk) error { return src.s.next(chunk) }

func duckdbType(k colKind) duckdb.Type {
	switch k {
	case kindInt32:
		return duckdb.TYPE_INTEGER
	case kindInt64:
		return duckdb.TYPE_BIGINT
	case kindFloat64:
		return duckdb.TYPE_DOUBLE
	case kindBool:
		return duckdb.TYPE_BOOLEAN
	}
	return duckdb.TYPE_VARCHAR
}

const streamFunc = "jamstat_stream"

var streamTableFunction = duckdb.ChunkTableFunction{
	Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{mustType(duckdb.TYPE_BIGINT)}},
	BindArguments: func(_ map[string]any, args ...any) (duckdb.ChunkTableSource, error) {
		id, _ := args[0].(int64)
		v, ok := streams.Load(id)
		if !ok {
			return nil, fmt.Errorf("%s(%d): no such load stream", streamFunc, id)
		}
		return streamSource{v.(*stream)}, nil
	},
}

func mustType(t duckdb.Type) duckdb.TypeInfo {
	ti, err := duckdb.NewTypeInfo(t)
	if err != nil {
		panic(err) // only for the fixed primitive types above
	}
	return ti
}

// registerStream makes jamstat_stream known to the connection's database.
// Table functions live in the database instance's catalog, so a second
// registration on another connection of the same database is harmless:
// it is tried once per connection and an "already exists" is accepted.
func registerStream(ctx context.Context, conn *sql.Conn) error {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_functions() WHERE function_name = ?`, streamFunc).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	err = duckdb.RegisterTableUDF(conn, streamFunc, streamTableFunction)
	if err != nil && !strings.Contains(err.Error(), "already exists") {
		return err
	}
	return nil
}

// start runs insertSQL (which has a %d where the stream id goes) in a
// goroutine on tx; from now on full batches go to it. end waits for it.
func (s *stream) start(ctx context.Context, tx *sql.Tx, insertSQL string, args ...any) {
	s.id = streamID.Add(1)
	s.ctx = ctx
	streams.Store(s.id, s)
	s.live = true
	s.result = make(chan streamResult, 1)
	go func() {
		r, err := tx.ExecContext(ctx, fmt.Sprintf(insertSQL, s.id), args...)
		var n int64
		if err == nil {
			n, _ = r.RowsAffected()
		}
		close(s.done)
		// Drain what the producer may still send, so it never blocks.
		go func() {
			for range s.full {
			}
		}()
		s.result <- streamResult{n, err}
	}()
}

type streamResult struct {
	n   int64
	err error
}
