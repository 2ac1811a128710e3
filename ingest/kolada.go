package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jamstat/jamstat/data"
)

// Kolada (the Swedish municipalities' and regions' database) API v3 answers
// data queries with
//
//	{"count": n, "next_page": url|null, "values": [
//	   {"kpi": "N00090", "municipality": "1480", "period": 2023,
//	    "values": [{"gender": "T", "value": 12.5, "count": 1, "status": ""}]}]}
//
// and organisational-unit (ou) queries with rows carrying "ou" instead of (or
// beside) "municipality". A bare array of rows is accepted too.
//
// Each entry of a row's values is one row read and becomes one Observation:
// Measure is the KPI id, GeoCode the municipality through
// data.NormalizeGeoCode ("0014" → "14", "0000" Sweden), Period the period as
// a string, Sex the gender (T/K/M), N the count, and the ou id, when there
// is one, goes into Dims["ou"]. A null value keeps Kolada's status ("..",
// "-", "."); a null value with no status becomes Status "missing" rather than
// one of Kolada's symbols, which each mean something specific. A value that
// is present has Status "" (the Observation contract). Unknown fields are
// ignored. A row or entry that cannot be read (unknown gender, unknown
// municipality such as a Kolada group "G123", no kpi, an entry flagged
// isdeleted by an incremental update) is a Rejected row.
func init() { register(FormatKolada, ParseKolada) }

type koladaRow struct {
	KPI          string            `json:"kpi"`
	Municipality string            `json:"municipality"`
	OU           string            `json:"ou"`
	Period       json.RawMessage   `json:"period"`
	Values       []json.RawMessage `json:"values"`
}

type koladaValue struct {
	IsDeleted  bool            `json:"isdeleted"`
	IsDeleted2 bool            `json:"is_deleted"`
	Gender     string          `json:"gender"`
	Value      json.RawMessage `json:"value"`
	Count      *float64        `json:"count"`
	Status     *string         `json:"status"`
}

// ParseKolada reads a Kolada API v3 data response.
func ParseKolada(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error) {
	meta := Meta{Format: string(FormatKolada), Kind: "observation", Source: "Kolada"}
	src, err := readJSON(r, size, opts)
	if err != nil {
		return meta, err
	}
	var rows []json.RawMessage
	if t := bytes.TrimSpace(src); t[0] == '[' {
		err = json.Unmarshal(t, &rows)
	} else {
		var doc struct {
			Values *[]json.RawMessage `json:"values"`
		}
		err = json.Unmarshal(t, &doc)
		if err == nil && doc.Values == nil {
			return meta, &Error{File: opts.File, Reason: "Kolada response has no \"values\" array"}
		}
		if doc.Values != nil {
			rows = *doc.Values
		}
	}
	if err != nil {
		return meta, jsonErr(opts.File, src, err)
	}
	lim := opts.limits()
	lines := rawLines(src, rows)
	reject := func(line int, column, reason, raw string) error {
		meta.RowsRead++
		if err := sink.Reject(Rejected{Line: line, Column: column, Reason: reason, Raw: truncate(raw, 200)}); err != nil {
			return sinkErr(opts.File, line, err)
		}
		return nil
	}
	for ri, raw := range rows {
		line := lines[ri]
		if meta.RowsRead >= lim.MaxRows {
			return meta, &Error{File: opts.File, Line: line, Reason: fmt.Sprintf("more than the limit of %d rows", lim.MaxRows)}
		}
		var row koladaRow
		if err := json.Unmarshal(raw, &row); err != nil {
			if err := reject(line, "", fmt.Sprintf("row is not a Kolada data row: %v", err), string(raw)); err != nil {
				return meta, err
			}
			continue
		}
		o := Observation{Measure: strings.TrimSpace(row.KPI)}
		rowFault, column := "", ""
		switch {
		case o.Measure == "":
			rowFault, column = "row has no kpi", "kpi"
		case len(o.Measure) > 64:
			rowFault, column = "kpi id is too long", "kpi"
		}
		if rowFault == "" {
			o.Period, rowFault = koladaPeriod(row.Period)
			column = "period"
		}
		if rowFault == "" {
			column = "municipality"
			switch m := strings.TrimSpace(row.Municipality); {
			case m != "":
				g, ok := data.NormalizeGeoCode(m)
				if !ok {
					rowFault = fmt.Sprintf("unknown municipality %q (not a kommun, region or Sweden; a Kolada group?)", truncate(m, 40))
				}
				o.GeoCode = g
			case row.OU == "":
				rowFault = "row has neither municipality nor ou"
			}
		}
		if ou := strings.TrimSpace(row.OU); rowFault == "" && ou != "" {
			if len(ou) > 64 {
				rowFault, column = "ou id is too long", "ou"
			}
			o.Dims = map[string]string{"ou": ou}
		}
		if len(row.Values) == 0 && rowFault != "" {
			// Nothing to load but a faulty row: keep it as one rejected row.
			if err := reject(line, column, rowFault, string(raw)); err != nil {
				return meta, err
			}
			continue
		}
		vlines := rawLines(raw, row.Values)
		for vi, vraw := range row.Values {
			vline := line
			if vlines[vi] > 0 {
				vline = line + vlines[vi] - 1
			}
			if meta.RowsRead >= lim.MaxRows {
				return meta, &Error{File: opts.File, Line: line, Reason: fmt.Sprintf("more than the limit of %d rows", lim.MaxRows)}
			}
			if rowFault != "" {
				if err := reject(vline, column, rowFault, string(vraw)); err != nil {
					return meta, err
				}
				continue
			}
			obs, col, fault := koladaCell(o, vraw, lim)
			if fault != "" {
				if err := reject(vline, col, fault, string(vraw)); err != nil {
					return meta, err
				}
				continue
			}
			meta.RowsRead++
			if err := sink.Observation(&obs); err != nil {
				return meta, sinkErr(opts.File, vline, err)
			}
		}
	}
	return meta, nil
}

// koladaPeriod reads a period written as a number (2023) or a string.
func koladaPeriod(raw json.RawMessage) (string, string) {
	t := bytes.TrimSpace(raw)
	switch {
	case len(t) == 0 || string(t) == "null":
		return "", "row has no period"
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil || strings.TrimSpace(s) == "" || len(s) > 32 {
			return "", fmt.Sprintf("period %s is not a period", truncate(string(t), 40))
		}
		return strings.TrimSpace(s), ""
	default:
		n, err := strconv.ParseInt(string(t), 10, 32)
		if err != nil {
			return "", fmt.Sprintf("period %s is not a year", truncate(string(t), 40))
		}
		return strconv.FormatInt(n, 10), ""
	}
}

// koladaCell reads one entry of a row's values into a copy of base.
func koladaCell(base Observation, raw json.RawMessage, lim Limits) (Observation, string, string) {
	o := base
	if base.Dims != nil {
		o.Dims = map[string]string{"ou": base.Dims["ou"]}
	}
	var v koladaValue
	if err := json.Unmarshal(raw, &v); err != nil {
		return o, "", fmt.Sprintf("value entry is not {gender, value, count, status}: %v", err)
	}
	if v.IsDeleted || v.IsDeleted2 {
		// Incremental updates (from_date) flag removed records; loading
		// one would resurrect a figure Kolada withdrew.
		return o, "isdeleted", "entry is marked deleted by Kolada (isdeleted)"
	}
	switch g := strings.ToUpper(strings.TrimSpace(v.Gender)); g {
	case SexTotal, SexWomen, SexMen:
		o.Sex = g
	default:
		return o, "gender", fmt.Sprintf("unknown gender %q (Kolada writes T, K or M)", truncate(v.Gender, 20))
	}
	if v.Status != nil {
		if len(*v.Status) > lim.MaxCellBytes {
			return o, "status", "status is too long"
		}
		o.Status = strings.TrimSpace(*v.Status)
	}
	if v.Count != nil {
		n := *v.Count
		o.N = &n
	}
	t := bytes.TrimSpace(v.Value)
	switch {
	case len(t) == 0 || string(t) == "null":
		if o.Status == "" {
			o.Status = "missing"
		}
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return o, "value", fmt.Sprintf("value %s is not a number", truncate(string(t), 40))
		}
		f, st, ok := parseCellValue(s)
		if !ok || st == "missing" {
			return o, "value", fmt.Sprintf("value %q is not a number", truncate(s, 40))
		}
		if f != nil {
			o.Value, o.Status = f, ""
		} else {
			o.Status = st
		}
	default:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return o, "value", fmt.Sprintf("value %s is not a number", truncate(string(t), 40))
		}
		o.Value, o.Status = &f, ""
	}
	return o, "", ""
}
