package gen

// The working-conditions model. Levels are illustrative but follow the
// patterns the report "Hur jämställda är arbetsvillkoren?" (2023) and SKR's
// personnel statistics describe: care and service work has more part-time,
// more temporary and hourly-paid staff, higher sick leave, split shifts,
// evening and weekend work, little flextime and many employees per manager;
// technical work the opposite. Women's part-time falls and the gaps narrow
// slowly over the years (heltidsresan). Index 0 is women (K), 1 men (M).

// profile is the working-conditions pattern of a family of occupations.
type profile struct {
	Name         string
	FullTime     [2]float64 // probability of a 100 % employment rate in 2019
	FullTimeStep [2]float64 // yearly change of FullTime
	PartRates    []weighted // employment rates for part-timers
	Contract     [3]float64 // tillsvidare, visstid, timavlönad (timavlönad rescaled from the rest)
	Sick         [2]float64 // mean sick leave in % of scheduled hours, 2019
	SplitShift   float64
	EveWeekend   float64
	Flextime     float64
	LeadShare    float64 // share with ledningsansvar (arbetsledare) inside the group
	AgeMean      float64
}

type weighted struct {
	V float64
	W float64
}

var (
	careRates   = []weighted{{50, 0.08}, {60, 0.08}, {75, 0.34}, {80, 0.17}, {85, 0.10}, {90, 0.23}}
	schoolRates = []weighted{{50, 0.08}, {60, 0.05}, {75, 0.32}, {80, 0.30}, {90, 0.25}}
	officeRates = []weighted{{50, 0.05}, {75, 0.30}, {80, 0.30}, {90, 0.35}}
)

var profiles = map[string]*profile{
	"care": {Name: "care", FullTime: [2]float64{0.45, 0.55}, FullTimeStep: [2]float64{0.03, 0.02},
		PartRates: careRates, Contract: [3]float64{0.76, 0.12, 0.12}, Sick: [2]float64{9.0, 6.5},
		SplitShift: 0.18, EveWeekend: 0.80, Flextime: 0.06, LeadShare: 0.025, AgeMean: 43},
	"service": {Name: "service", FullTime: [2]float64{0.55, 0.65}, FullTimeStep: [2]float64{0.02, 0.01},
		PartRates: careRates, Contract: [3]float64{0.80, 0.10, 0.10}, Sick: [2]float64{7.5, 5.5},
		SplitShift: 0.10, EveWeekend: 0.30, Flextime: 0.05, LeadShare: 0.04, AgeMean: 45},
	"health": {Name: "health", FullTime: [2]float64{0.62, 0.80}, FullTimeStep: [2]float64{0.015, 0.005},
		PartRates: officeRates, Contract: [3]float64{0.88, 0.08, 0.04}, Sick: [2]float64{6.0, 4.0},
		SplitShift: 0.03, EveWeekend: 0.65, Flextime: 0.15, LeadShare: 0.03, AgeMean: 43},
	"school": {Name: "school", FullTime: [2]float64{0.76, 0.84}, FullTimeStep: [2]float64{0.01, 0.005},
		PartRates: schoolRates, Contract: [3]float64{0.85, 0.12, 0.03}, Sick: [2]float64{5.8, 3.8},
		SplitShift: 0.01, EveWeekend: 0.04, Flextime: 0.30, LeadShare: 0.02, AgeMean: 44},
	"social": {Name: "social", FullTime: [2]float64{0.85, 0.90}, FullTimeStep: [2]float64{0.005, 0.003},
		PartRates: officeRates, Contract: [3]float64{0.88, 0.09, 0.03}, Sick: [2]float64{6.5, 4.5},
		SplitShift: 0.02, EveWeekend: 0.20, Flextime: 0.55, LeadShare: 0.03, AgeMean: 42},
	"office": {Name: "office", FullTime: [2]float64{0.85, 0.92}, FullTimeStep: [2]float64{0.005, 0.002},
		PartRates: officeRates, Contract: [3]float64{0.93, 0.05, 0.02}, Sick: [2]float64{4.8, 3.0},
		SplitShift: 0.0, EveWeekend: 0.03, Flextime: 0.88, LeadShare: 0.03, AgeMean: 46},
	"technical": {Name: "technical", FullTime: [2]float64{0.90, 0.96}, FullTimeStep: [2]float64{0.003, 0.001},
		PartRates: officeRates, Contract: [3]float64{0.92, 0.06, 0.02}, Sick: [2]float64{4.5, 3.6},
		SplitShift: 0.02, EveWeekend: 0.18, Flextime: 0.55, LeadShare: 0.08, AgeMean: 45},
	"manager": {Name: "manager", FullTime: [2]float64{0.97, 0.97},
		PartRates: officeRates, Contract: [3]float64{0.97, 0.03, 0}, Sick: [2]float64{3.5, 2.5},
		SplitShift: 0.0, EveWeekend: 0.10, Flextime: 0.80, LeadShare: 1, AgeMean: 50},
}

// sickYear scales sick leave by year: the pandemic raised sick leave in
// municipal care from 2020 and it fell back by 2023–2024.
func sickYear(year int) float64 {
	switch year {
	case 2020:
		return 1.22
	case 2021:
		return 1.15
	case 2022:
		return 1.12
	case 2023:
		return 1.02
	}
	return 1
}

// Education levels as the HR contract writes them.
const (
	eduPre   = 0 // Förgymnasial
	eduGymn  = 1 // Gymnasial
	eduPost2 = 2 // Eftergymnasial <3 år
	eduPost3 = 3 // Eftergymnasial ≥3 år
)

var educationLabels = [4]string{"Förgymnasial", "Gymnasial", "Eftergymnasial <3 år", "Eftergymnasial ≥3 år"}

// educationMix is the education distribution by SSYK major group (first digit).
var educationMix = map[byte][4]float64{
	'1': {0.00, 0.10, 0.15, 0.75},
	'2': {0.00, 0.02, 0.05, 0.93},
	'3': {0.02, 0.28, 0.40, 0.30},
	'4': {0.02, 0.65, 0.25, 0.08},
	'5': {0.10, 0.72, 0.13, 0.05},
	'6': {0.12, 0.75, 0.11, 0.02},
	'7': {0.12, 0.75, 0.11, 0.02},
	'8': {0.12, 0.75, 0.11, 0.02},
	'9': {0.30, 0.62, 0.06, 0.02},
}

// Contract codes and their labels in the HR contract.
const (
	contractPermanent = 0
	contractTemporary = 1
	contractHourly    = 2
)

var contractLabels = [3]string{"Tillsvidare", "Visstid", "Timavlönad"}

const (
	// fullTimeHours is a full-time year's scheduled hours (about 1 700 h
	// after holidays and vacation).
	fullTimeHours = 1700.0
	// calibYear is the year of the calibration tables.
	calibYear = 2018
	// wageGrowthYear is the yearly nominal wage growth applied after 2018.
	wageGrowthYear = 0.027
	// womenWageCatchUp is women's extra yearly wage growth relative to men
	// in the same occupation: gaps narrow slowly.
	womenWageCatchUp = 0.0015
	// shareDrift is the yearly fraction by which an occupation's women's
	// share moves toward 50 % (desegregation, slow).
	shareDrift = 0.006
	// kommunShare is the kommuner's share of municipal-sector employees
	// (kommuner and regions together); regions hold the rest. About
	// 830 000 against 300 000 employees nationally.
	kommunShare = 0.735
)
