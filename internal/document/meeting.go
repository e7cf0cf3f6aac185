package document

import (
	"strings"

	"github.com/isa-nrw/treffen/internal/event"
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
