package ingest

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestParseNumber(t *testing.T) {
	swedish := numberFormat{decimal: ',', thousands: [][]byte{[]byte(" "), []byte("\u00a0"), []byte("\u202f")}}
	german := numberFormat{decimal: ',', thousands: [][]byte{[]byte(".")}}
	english := numberFormat{decimal: '.', thousands: [][]byte{[]byte(",")}}
	tests := []struct {
		in   string
		f    *numberFormat
		want float64
		ok   bool
	}{
		{"32 500,00", &swedish, 32500, true},
		{"32\u00a0500,5", &swedish, 32500.5, true},
		{"1\u202f234\u202f567", &swedish, 1234567, true},
		{" 1 234 ", &swedish, 1234, true},
		{"−12,5", &swedish, -12.5, true}, // U+2212 minus
		{"-0,75", &swedish, -0.75, true},
		{",5", &swedish, 0.5, true},
		{"5,", &swedish, 5, true},
		{"1 23", &swedish, 0, false},     // a group of two digits
		{"1234 567", &swedish, 0, false}, // a leading group of four
		{"12,3,4", &swedish, 0, false},
		{"1.234,5", &german, 1234.5, true},
		{"1.5", &german, 0, false}, // not fifteen
		{"1,234.5", &english, 1234.5, true},
		{"1,23", &english, 0, false},
		{"2.5E-3", &plainNumbers, 0.0025, true},
		{"1e3", &plainNumbers, 1000, true},
		{"3.0999999046325701", &plainNumbers, 3.0999999046325701, true},
		{"12345678901234567890123", &plainNumbers, 12345678901234567890123, true},
		{"0.000000000000000000000001", &plainNumbers, 1e-24, true},
		{"..", &swedish, 0, false},
		{"-", &swedish, 0, false},
		{"", &swedish, 0, false},
		{"abc", &plainNumbers, 0, false},
		{"12a", &plainNumbers, 0, false},
		{"1e999", &plainNumbers, 0, false}, // infinite
		{"+7", &plainNumbers, 7, true},
	}
	for _, tc := range tests {
		got, ok := parseNumber([]byte(tc.in), tc.f)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestParseNumberMatchesStrconv checks the fast path against strconv on
// random decimals: the result must be bit-for-bit the same.
func TestParseNumberMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		var s string
		switch i % 4 {
		case 0:
			s = strconv.FormatFloat(rng.Float64()*math.Pow(10, float64(rng.IntN(12))), 'f', rng.IntN(8), 64)
		case 1:
			s = strconv.FormatFloat(rng.NormFloat64()*1e5, 'f', -1, 64)
		case 2:
			s = strconv.Itoa(rng.IntN(1 << 30))
		default:
			s = strconv.FormatFloat(rng.Float64(), 'g', -1, 64)
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseNumber([]byte(s), &plainNumbers)
		if !ok || got != want {
			t.Fatalf("parseNumber(%q) = %v, %v; strconv says %v", s, got, ok, want)
		}
	}
}

func TestParseInt(t *testing.T) {
	f := numberFormat{decimal: ','}
	if v, ok := parseInt([]byte("1972"), &f); !ok || v != 1972 {
		t.Errorf("parseInt(1972) = %v, %v", v, ok)
	}
	if _, ok := parseInt([]byte("19,5"), &f); ok {
		t.Error("parseInt accepted 19,5")
	}
}

func TestTrimSpaceBytes(t *testing.T) {
	for in, want := range map[string]string{
		"\u00a0 50–99 \u202f": "50–99",
		"\t\r\n":              "",
		"a b":                 "a b",
		"\u00a0":              "",
	} {
		if got := string(trimSpaceBytes([]byte(in))); got != want {
			t.Errorf("trimSpaceBytes(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkParseNumberSwedish(b *testing.B) {
	f := numberFormat{decimal: ',', thousands: [][]byte{[]byte(" "), []byte("\u00a0")}}
	in := []byte("32 500,00")
	for b.Loop() {
		if _, ok := parseNumber(in, &f); !ok {
			b.Fatal("not parsed")
		}
	}
}
