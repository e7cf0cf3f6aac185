package event

import "sort"

// SortByDate orders meetings by first day, ascending or descending; ties
// by id so the order is stable.
func SortByDate(list []Event, ascending bool) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].Days.First(), list[j].Days.First()
		if a == b {
			return list[i].ID < list[j].ID
		}
		if ascending {
			return a.Before(b)
		}
		return a.After(b)
	})
}
