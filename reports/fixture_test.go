package reports

import (
	"fmt"
	"math"
)

// Fixtures: small hand-made models with Swedish names (å, ä, ö), a
// suppressed cell in every table, and values that round differently in
// Swedish and English, so the tests exercise what real reports meet.

func f64(v float64) *float64 { return &v }

var fixtureMunicipalities = []Geo{
	{"1480", "Göteborg"}, {"1401", "Härryda"}, {"1407", "Öckerö"},
	{"1492", "Åmål"}, {"1442", "Vårgårda"}, {"1481", "Mölndal"},
}

func fixtureFollowup(lang string) *FollowupReport {
	r := &FollowupReport{
		Strategy: Strategy{ID: "vgr-2024", Name: "Jämställt Västra Götaland 2024–2027", BaselineYear: 2020, Period: "2024–2027",
			Source: "https://www.lansstyrelsen.se/vastra-gotaland"},
		Year:    2023,
		County:  Geo{"14", "Västra Götalands län"},
		Lang:    lang,
		MinN:    5,
		Version: "test",
		Method: Method{
			Definitions: []Definition{{"K/M-kvot", "Kvinnornas värde delat med männens; 1 betyder lika."}},
			Sources:     []Source{{Name: "SCB, Befolkningsstatistik", URL: "https://www.scb.se", ReferenceYear: 2023, Published: "2024-03-21"}},
			Notes:       []string{"Länets värde är ovägt medelvärde av kommunerna."},
		},
	}
	share := IndicatorSeries{
		ID: "chef_andel_kvinnor", Title: "Kvinnors andel av chefer", Unit: "%", Decimals: 1, Polarity: Parity, Target: f64(50),
		Measure: "kvinnors andel, %", Source: "SCB, Yrkesregistret",
	}
	for i, y := range []int{2019, 2020, 2021, 2022, 2023} {
		w := 41.25 + float64(i)*1.5
		yv := YearValues{Year: y, Women: Num(w, 1200+i), Men: Num(100-w, 1500), Total: Num(100, 2700+i)}
		if y == 2021 {
			yv.Women = Suppressed(3)
		}
		share.County = append(share.County, yv)
	}
	share.Baseline = YearValue{2020, Num(42.75, 1201)}
	share.Latest = YearValue{2023, Num(47.25, 1204)}
	share.Direction = Better
	for i, g := range fixtureMunicipalities {
		gv := GeoValues{Geo: g, Women: Num(35+float64(i)*3.3, 40+i), Men: Num(65-float64(i)*3.3, 60), Total: Num(100, 100+i), Direction: Better}
		if g.Code == "1407" {
			gv.Women, gv.Men = Suppressed(2), Suppressed(4)
			gv.Direction = Unknown
		}
		share.Municipalities = append(share.Municipalities, gv)
	}
	income := IndicatorSeries{
		ID: "inkomst_median", Title: "Medianinkomst", Unit: "tkr", Decimals: 1, Polarity: Parity,
		Measure: "kvinnors inkomst i % av mäns",
	}
	for i, y := range []int{2020, 2021, 2022, 2023} {
		income.County = append(income.County, YearValues{Year: y, Women: Num(280.5+float64(i)*9.75, 0), Men: Num(345.25+float64(i)*7.5, 0), Total: Num(312, 0)})
	}
	income.Baseline = YearValue{2020, Num(81.2, 0)}
	income.Latest = YearValue{2023, Num(84.05, 0)}
	income.Direction = Better
	for i, g := range fixtureMunicipalities {
		income.Municipalities = append(income.Municipalities, GeoValues{Geo: g, Women: Num(275.5+float64(i)*10, 0), Men: Num(350.25+float64(i)*7, 0), Total: Num(310, 0)})
	}
	sick := IndicatorSeries{
		ID: "sjukpenning", Title: "Sjukpenningtal", Unit: "dagar", Decimals: 1, Polarity: LowerIsBetter,
		Measure: "kvinnor − män, dagar",
		County: []YearValues{
			{Year: 2020, Women: Num(13.5, 900), Men: Num(7.25, 800), Total: Num(10.4, 1700)},
			{Year: 2023, Women: Num(14.75, 950), Men: Num(7.5, 810), Total: Num(11.1, 1760)},
		},
		Baseline: YearValue{2020, Num(6.25, 800)}, Latest: YearValue{2023, Num(7.25, 810)}, Direction: Worse,
	}
	vab := IndicatorSeries{ID: "vab_man", Title: "Mäns andel av VAB-dagar", Unit: "%", Decimals: 1, Polarity: Parity, Target: f64(50),
		County:   []YearValues{{Year: 2020, Women: Num(62, 0), Men: Num(38, 0)}, {Year: 2023, Women: Num(62, 0), Men: Num(38, 0)}},
		Baseline: YearValue{2020, Num(38, 0)}, Latest: YearValue{2023, Num(38, 0)}, Direction: Unchanged,
		Municipalities: []GeoValues{{Geo: fixtureMunicipalities[0], Women: Suppressed(0), Men: Suppressed(0), Total: Suppressed(0)}},
	}
	r.Goals = []GoalSection{
		{Delmal: []int{2}, GoalID: "vgr-2-1", Goal: "Fler utrikes födda kvinnor ska vara etablerade på arbetsmarknaden och ha egen försörjning",
			Area: "Utrikes födda kvinnors etablering på arbetsmarknaden", Indicators: []IndicatorSeries{share, income, sick}},
		{Delmal: []int{4, 2}, GoalID: "vgr-4-1", Goal: "Det obetalda hem- och omsorgsarbetet ska fördelas jämnt", Indicators: []IndicatorSeries{vab}},
		{Delmal: []int{6}, GoalID: "vgr-6-1", Goal: "Hedersrelaterat våld och förtryck ska upphöra i Västra Götaland"},
	}
	// Indicators that follow a priority area or a delmål without a goal of
	// the strategy; one compared over other years than the goals' ones.
	parttime := IndicatorSeries{ID: "deltid", Title: "Deltidsarbetande", Unit: "%", Decimals: 1, Polarity: Parity,
		Measure: "skillnad kvinnor − män (procentenheter)",
		County: []YearValues{
			{Year: 2022, Women: Num(30.5, 800), Men: Num(10.25, 700), Total: Num(21, 1500)},
			{Year: 2023, Women: Num(28.5, 810), Men: Num(10.5, 690), Total: Num(20, 1500)},
		},
		Baseline: YearValue{2022, Num(20.25, 0)}, Latest: YearValue{2023, Num(18, 0)}, Direction: Better}
	employees := IndicatorSeries{ID: "anstallda", Title: "Anställda per 1 000 invånare", Unit: "per 1 000", Decimals: 1,
		County:    []YearValues{{Year: 2023, Women: Num(120.5, 0), Men: Num(40.25, 0), Total: Num(80, 0)}},
		Direction: Context}
	noTrend := IndicatorSeries{ID: "ohalsa", Title: "Ohälsotal", Unit: "dagar", Decimals: 1, Polarity: LowerIsBetter,
		County:   []YearValues{{Year: 2023, Women: Num(30.5, 0), Men: Num(20.25, 0), Total: Num(25.5, 0)}},
		Baseline: YearValue{Value: Value{Status: StatusMissing}}, Latest: YearValue{2023, Num(25.5, 0)}, Direction: Unknown}
	r.Groups = []IndicatorGroup{
		{Delmal: 2, AreaID: "vg-ekonomisk-jamstalldhet", Area: "Ekonomisk jämställdhet", Indicators: []IndicatorSeries{parttime, employees}},
		{Delmal: 5, Indicators: []IndicatorSeries{noTrend}},
	}
	r.Notices = []string{"OBS: syntetiska data."}
	if lang == "en" {
		r.Notices = []string{"NOTE: synthetic data."}
	}
	return r
}

func fixtureWork(lang string) *WorkConditionsReport {
	r := &WorkConditionsReport{County: Geo{"14", "Västra Götalands län"}, Year: 2023, Lang: lang, MinN: 5, Version: "test", Threshold: 60,
		Method: Method{Sources: []Source{{Name: "HR-registret (arbetsgivarnas lönefiler)", ReferenceYear: 2023, Published: "2024"}}}}
	sick := Condition{ID: "sjukfranvaro", Title: "Sjukfrånvaro", Unit: "%", Decimals: 1, Kind: KindPP, Polarity: LowerIsBetter}
	wage := Condition{ID: "lon", Title: "Lön (kvinnodominerad i % av mansdominerad)", Unit: "kr", Decimals: 0, Kind: KindRatio, Polarity: HigherIsBetter}
	for i, g := range fixtureMunicipalities {
		fg := Group{Code: "5321", Name: "Undersköterskor, hemtjänst, hemsjukvård och äldreboende", N: 120 + i, Share: 91.5, Value: Num(8.5+float64(i)*0.75, 120+i)}
		mg := Group{Code: "3113", Name: "Drifttekniker, värme- och vattenverk", N: 18 + i, Share: 8.25, Value: Num(4.25+float64(i)*0.5, 18+i)}
		e := EmployerComparison{Code: g.Code, Name: g.Name, FemaleGroup: fg, MaleGroup: mg}
		d := fg.Value.V
		dd := *d - *mg.Value.V
		e.Difference, e.CILow, e.CIHigh = f64(dd), f64(dd-2.5), f64(dd+2.5)
		e.Distinguishable = dd-2.5 > 0
		if g.Code == "1407" {
			e.MaleGroup.N = 3
			e.MaleGroup.Value = Suppressed(3)
			e.Difference, e.CILow, e.CIHigh, e.Distinguishable = nil, nil, nil, false
		}
		sick.Employers = append(sick.Employers, e)
		fw := Group{Code: fg.Code, Name: fg.Name, N: fg.N, Share: fg.Share, Value: Num(29950+float64(i)*100, fg.N)}
		mw := Group{Code: mg.Code, Name: mg.Name, N: mg.N, Share: mg.Share, Value: Num(35125.5-float64(i)*250, mg.N)}
		ratio := *fw.Value.V / *mw.Value.V
		wage.Employers = append(wage.Employers, EmployerComparison{Code: g.Code, Name: g.Name, FemaleGroup: fw, MaleGroup: mw,
			Difference: f64(ratio), CILow: f64(ratio - 0.04), CIHigh: f64(math.Min(ratio+0.04, 1.2)), Distinguishable: ratio+0.04 < 1})
	}
	r.Conditions = []Condition{sick, wage}
	return r
}

// syntheticSheet is a full-size sheet: 6 delmål with 5 indicators each,
// 10 headline rows and 8 working conditions; seed varies the numbers.
func syntheticSheet(geo, county Geo, seed int) *MunicipalitySheet {
	s := &MunicipalitySheet{Geo: geo, County: county, Year: 2023, MinN: 5, Version: "test",
		Sources:     []Source{{Name: "SCB, Befolkningsstatistik", URL: "https://www.scb.se", ReferenceYear: 2023, Published: "2024-03-21"}, {Name: "Kolada", URL: "https://www.kolada.se", ReferenceYear: 2023, Published: "2024"}},
		Definitions: []Definition{{"K/M-kvot", "Kvinnornas värde delat med männens; 1 = lika."}, {"Kvinnodominerad", "Mer än 60 % kvinnor."}}}
	val := func(i int, base float64) float64 {
		return math.Round((base+float64((seed*31+i*17)%97)/4)*100) / 100
	}
	for d := 1; d <= 6; d++ {
		t := DelmalTable{Delmal: d, Title: DelmalTitle("sv", d)}
		for j := 0; j < 5; j++ {
			i := d*10 + j
			w, m := val(i, 20), val(i+3, 22)
			row := SheetRow{IndicatorID: fmt.Sprintf("ind_%d_%d", d, j), Title: fmt.Sprintf("Indikator %d.%d för ålder 20–64 år", d, j), Unit: "%", Decimals: 1, Year: 2023,
				Women: Num(w, 50+i), Men: Num(m, 60+i), Total: Num((w+m)/2, 110+2*i), Ratio: Num(w/m, 50+i),
				BaselineYear: 2020, Baseline: Num(w-1.5, 48+i), Change: Num(1.5, 50+i), Direction: Better}
			if (seed+i)%7 == 0 {
				row.Women, row.Ratio, row.Total = Suppressed(3), Suppressed(3), Suppressed(0)
				row.Change, row.Direction = Suppressed(3), Unknown
			}
			t.Rows = append(t.Rows, row)
			if j < 2 && len(s.Headline) < 10 {
				s.Headline = append(s.Headline, HeadlineRow{IndicatorID: row.IndicatorID, Title: row.Title, Unit: "%", Decimals: 1, Year: 2023,
					Geo: row.Total, County: Num(val(i, 21), 5000), Sweden: Num(val(i, 21.5), 0)})
			}
		}
		s.Delmal = append(s.Delmal, t)
	}
	for c := 0; c < 8; c++ {
		fv, mv := val(c, 8), val(c+1, 5)
		row := ConditionRow{Condition: fmt.Sprintf("Arbetsvillkor %d", c+1), Unit: "%", Decimals: 1, Kind: KindPP, Polarity: LowerIsBetter,
			FemaleGroup: Group{Code: "5321", Name: "Undersköterskor", N: 150, Share: 92, Value: Num(fv, 150)},
			MaleGroup:   Group{Code: "3113", Name: "Drifttekniker", N: 20, Share: 7, Value: Num(mv, 20)},
			Difference:  f64(fv - mv), CILow: f64(fv - mv - 2), CIHigh: f64(fv - mv + 2), Distinguishable: fv-mv-2 > 0}
		if (seed+c)%5 == 0 {
			row.MaleGroup.Value, row.MaleGroup.N = Suppressed(4), 4
			row.Difference, row.CILow, row.CIHigh, row.Distinguishable = nil, nil, nil, false
		}
		s.WorkConditions = append(s.WorkConditions, row)
	}
	return s
}
