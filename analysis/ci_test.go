package analysis

import (
	"fmt"
	"testing"
)

// TestWilson reproduces Newcombe (1998), "Two-sided confidence intervals for
// the single proportion", Statistics in Medicine 17:857–872, Table I,
// method 3 (score interval without continuity correction), 4 decimals.
func TestWilson(t *testing.T) {
	cases := []struct {
		x, n   int
		lo, hi string
	}{
		{81, 263, "0.2553", "0.3662"},
		{15, 148, "0.0624", "0.1605"},
		{0, 20, "0.0000", "0.1611"},
		{1, 29, "0.0061", "0.1718"},
	}
	for _, c := range cases {
		iv, err := Wilson(c.x, c.n, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		checkPrinted(t, fmt.Sprintf("%d/%d lo", c.x, c.n), iv.Lo, c.lo)
		checkPrinted(t, fmt.Sprintf("%d/%d hi", c.x, c.n), iv.Hi, c.hi)
	}
	if _, err := Wilson(3, 2, 0.95); err == nil {
		t.Error("x > n must be an error")
	}
	if _, err := Wilson(1, 2, 95); err == nil {
		t.Error("level 95 must be an error")
	}
}

// TestNewcombeDiff reproduces Newcombe (1998), "Interval estimation for the
// difference between independent proportions: comparison of eleven
// methods", Statistics in Medicine 17:873–890, Table II, method 10.
func TestNewcombeDiff(t *testing.T) {
	cases := []struct {
		x1, n1, x2, n2 int
		lo, hi         string
		distinct       bool
	}{
		{56, 70, 48, 80, "0.0524", "0.3339", true},
		{9, 10, 3, 10, "0.1705", "0.8090", true},
		{6, 7, 2, 7, "0.0582", "0.8062", true},
		{5, 56, 0, 29, "-0.0381", "0.1926", false},
		{0, 10, 0, 20, "-0.1611", "0.2775", false},
		{0, 10, 0, 10, "-0.2775", "0.2775", false},
		{10, 10, 0, 20, "0.6791", "1.0000", true},
		{10, 10, 0, 10, "0.6075", "1.0000", true},
	}
	for _, c := range cases {
		iv, err := NewcombeDiff(c.x1, c.n1, c.x2, c.n2, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%d/%d − %d/%d", c.x1, c.n1, c.x2, c.n2)
		checkPrinted(t, name+" lo", iv.Lo, c.lo)
		checkPrinted(t, name+" hi", iv.Hi, c.hi)
		if iv.ExcludesZero() != c.distinct {
			t.Errorf("%s: excludes zero = %v", name, iv.ExcludesZero())
		}
	}
}

// TestWelchDiff reproduces R's t.test(extra ~ group, data = sleep)
// (Welch): t = −1.8608, df = 17.776, 95 % CI −3.3654832 to 0.2054832.
func TestWelchDiff(t *testing.T) {
	a := []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	b := []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
	iv, err := WelchDiff(a, b, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	checkPrinted(t, "lo", iv.Lo, "-3.3654832")
	checkPrinted(t, "hi", iv.Hi, "0.2054832")
	checkPrinted(t, "df", iv.DF, "17.776")
	checkPrinted(t, "difference", iv.Estimate, "-1.58")
	if iv.ExcludesZero() {
		t.Error("sleep difference is not distinguishable from zero at 95 %")
	}
	if _, err := WelchDiff([]float64{1}, b, 0.95); err == nil {
		t.Error("one value must be an error")
	}
}

func TestMedian(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{5, nan, 1}, 3},
	}
	for _, c := range cases {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestBootstrapMedian: reproducible for a seed; the interval brackets the
// estimate; clearly separated groups are distinguishable, identical ones are
// not.
func TestBootstrapMedian(t *testing.T) {
	var lowPay, highPay []float64
	for i := range 60 {
		lowPay = append(lowPay, 25000+float64(i*37%100)*10)
		highPay = append(highPay, 32000+float64(i*53%100)*10)
	}
	a, err := BootstrapMedian(lowPay, 1000, 42, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := BootstrapMedian(lowPay, 1000, 42, 0.95)
	if a != b {
		t.Errorf("same seed, different interval: %+v %+v", a, b)
	}
	if !(a.Lo <= a.Estimate && a.Estimate <= a.Hi) || a.Lo == a.Hi {
		t.Errorf("interval %+v does not bracket the median", a)
	}
	d, err := BootstrapMedianDiff(highPay, lowPay, 1000, 1, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if d.Estimate != Median(highPay)-Median(lowPay) || !d.ExcludesZero() {
		t.Errorf("separated groups: %+v", d)
	}
	same, _ := BootstrapMedianDiff(lowPay, lowPay, 1000, 1, 0.95)
	if same.ExcludesZero() {
		t.Errorf("identical groups distinguishable: %+v", same)
	}
	if _, err := BootstrapMedian(nil, 10, 1, 0.95); err == nil {
		t.Error("no values must be an error")
	}
}
