package document

import (
	"strings"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
)

// roomParts splits a room as event.RoomLine names it into the label
// "Raum:" and the room, so the label can be set lighter; the label is ""
// when the room's name already says it is one ("Raum 2", "Räume 1 und
// 2"). Both are "" without a room.
func roomParts(room string) (label, name string) {
	room = strings.TrimSpace(room)
	line := event.RoomLine(room)
	if rest, ok := strings.CutPrefix(line, "Raum: "); ok && rest == room {
		return "Raum:", rest
	}
	return "", line
}

// municipalityName is the name of municipality id, or "" when there is
// none or it is unknown.
func municipalityName(munis map[int64]municipality.Municipality, id *int64) string {
	if id == nil {
		return ""
	}
	return munis[*id].Name
}

// venueMaxLines bounds the venue's address block; see venueLines.
const venueMaxLines = 5

// venueLines are the lines of the venue's address block as every page
// and mail prints them (event.VenueLines: the city only when the address
// does not name it). A longer block keeps its first lines and the last,
// which usually holds postcode and city.
func venueLines(ev *event.Event) []string {
	lines := ev.VenueLines()
	if n := len(lines); n > venueMaxLines {
		lines = append(lines[:venueMaxLines-1], lines[n-1])
	}
	return lines
}
