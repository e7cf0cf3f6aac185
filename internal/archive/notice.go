package archive

import (
	"strings"

	"github.com/isa-nrw/treffen/internal/problem"
)

// ErrNotPublished refuses the notice about a documentation nobody may
// see yet.
var ErrNotPublished = problem.New(problem.Conflict,
	"Die Dokumentation ist noch nicht veröffentlicht. Bitte veröffentlichen Sie sie zuerst, dann können Sie die Teilnehmenden benachrichtigen.")

// Notice counts whom the notice that a documentation is online reaches:
// what a send queued, or, before sending, what it would queue.
type Notice struct {
	// Confirmed registrations: the notice goes to each once, checked in
	// or not — the documentation is for everyone registered.
	Confirmed int `json:"confirmed"`
	// CheckedIn counts those of them checked in at the meeting; 0 when
	// check-in was not used.
	CheckedIn           int `json:"checked_in"`
	Participants        int `json:"participants"`         // participants queued (or to be queued)
	SkippedParticipants int `json:"skipped_participants"` // participants who had the notice already
	Contacts            int `json:"contacts"`             // network contacts queued (or to be queued)
	// SkippedContacts had the notice already, or get it at the same
	// address as a participant or another contact.
	SkippedContacts int `json:"skipped_contacts"`
	Unsubscribed    int `json:"unsubscribed"` // contacts who unsubscribed: they get nothing
}

// Queued is the number of new mails.
func (n Notice) Queued() int { return n.Participants + n.Contacts }

// Skipped is the number of people left out because they had the notice.
func (n Notice) Skipped() int { return n.SkippedParticipants + n.SkippedContacts }

// noticeRecipient is a registration or contact the notice may go to.
type noticeRecipient struct {
	RegistrationID int64
	ContactID      int64
	Email          string
}

// noticeState is what a notice is decided from: the meeting's confirmed
// registrations, the network's contacts and the notices queued before.
type noticeState struct {
	participants []noticeRecipient
	checkedIn    int
	contacts     []noticeRecipient
	unsubscribed int
	// notified are the registrations and contacts with a notice, and the
	// addresses it went to.
	notifiedRegistrations map[int64]bool
	notifiedContacts      map[int64]bool
	notifiedAddresses     map[string]bool
}

// plan decides who gets a new notice; without contacts only the
// participants are counted and chosen.
func (st noticeState) plan(contacts bool) (Notice, []noticeRecipient) {
	n := Notice{Confirmed: len(st.participants), CheckedIn: st.checkedIn}
	var out []noticeRecipient
	taken := map[string]bool{}
	for a := range st.notifiedAddresses {
		taken[a] = true
	}
	for _, p := range st.participants {
		taken[strings.ToLower(p.Email)] = true
		if st.notifiedRegistrations[p.RegistrationID] {
			n.SkippedParticipants++
			continue
		}
		n.Participants++
		out = append(out, p)
	}
	if !contacts {
		return n, out
	}
	n.Unsubscribed = st.unsubscribed
	for _, c := range st.contacts {
		addr := strings.ToLower(c.Email)
		if st.notifiedContacts[c.ContactID] || taken[addr] {
			n.SkippedContacts++
			continue
		}
		taken[addr] = true
		n.Contacts++
		out = append(out, c)
	}
	return n, out
}
