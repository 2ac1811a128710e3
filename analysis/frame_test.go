package analysis

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestReadCSVFrame(t *testing.T) {
	in := "\ufeffid,wage,sex,edu\n1,25000,K,gy\n2,NA,M,.\n3,.,K,\n4,31000.5,M,hs\n"
	f, err := ReadCSVFrame(strings.NewReader(in), "pay.csv")
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 4 || !slices.Equal(f.Names(), []string{"id", "wage", "sex", "edu"}) {
		t.Fatalf("len %d names %v", f.Len(), f.Names())
	}
	w, err := f.Num("wage")
	if err != nil {
		t.Fatal(err)
	}
	if w[0] != 25000 || !math.IsNaN(w[1]) || !math.IsNaN(w[2]) || w[3] != 31000.5 {
		t.Errorf("wage %v", w)
	}
	e, _ := f.Str("edu")
	if !slices.Equal(e, []string{"gy", "", "", "hs"}) {
		t.Errorf("edu %q", e)
	}
	_, err = f.Num("sex")
	if err == nil || !strings.Contains(err.Error(), `pay.csv: column "sex" is not numeric (line 2, column 3: "K")`) {
		t.Errorf("err %v", err)
	}
	d, err := f.Dummies("edu")
	if err != nil || !slices.Equal(d, []string{"edu_gy", "edu_hs"}) {
		t.Fatalf("dummies %v %v", d, err)
	}
	gy, _ := f.Num("edu_gy")
	if gy[0] != 1 || !math.IsNaN(gy[1]) || gy[3] != 0 {
		t.Errorf("edu_gy %v", gy)
	}
}

func TestReadCSVFrameErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "bad.csv: empty file"},
		{"a,b\n1,2\n3\n", "bad.csv: line 3: 1 fields, header has 2"},
		{"a,a\n1,2\n", "bad.csv: line 1, column 2: column name \"a\" repeats column 1"},
		{"a,\n1,2\n", "bad.csv: line 1, column 2: empty column name"},
		{"a,b\n1,\"2\n", "bad.csv: line 2, column"},
	}
	for _, c := range cases {
		_, err := ReadCSVFrame(strings.NewReader(c.in), "bad.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want %q", c.in, err, c.want)
		}
	}
}

// TestReadChicago checks the real file: 712 rows, 46 missing wages.
func TestReadChicago(t *testing.T) {
	f := chicago(t)
	y, err := f.Num("ln.real.wage")
	if err != nil {
		t.Fatal(err)
	}
	miss := 0
	for _, v := range y {
		if math.IsNaN(v) {
			miss++
		}
	}
	if f.Len() != 712 || miss != 46 {
		t.Errorf("%d rows, %d missing; want 712, 46", f.Len(), miss)
	}
}

func TestFrameAdd(t *testing.T) {
	f := NewFrame("x", 2)
	if err := f.AddNum("a", []float64{1}); err == nil {
		t.Error("wrong length must be an error")
	}
	_ = f.AddNum("a", []float64{1, 2})
	_ = f.AddStr("a", []string{"p", "q"}) // replaces, keeps position
	if f.IsNumeric("a") || len(f.Names()) != 1 {
		t.Errorf("replace: numeric %v names %v", f.IsNumeric("a"), f.Names())
	}
}
