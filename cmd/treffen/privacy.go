package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/isa-nrw/treffen/internal/privacy"
)

// retentionEvery is how often serve applies the retention rule.
const retentionEvery = 24 * time.Hour

// retention anonymises meetings past the retention period now and then
// once a day until ctx ends. A failed run is logged and tried again the
// next day; the work list comes from the database each time.
func (a *app) retention(ctx context.Context) {
	if a.cfg.RetentionMonths <= 0 {
		a.log.Warn("retention is off (retention_months = 0): participants' data is never anonymised automatically")
		return
	}
	tick := time.NewTicker(retentionEvery)
	defer tick.Stop()
	for {
		run, err := a.privacyStore().Anonymise(ctx, a.cfg.RetentionMonths, false)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("retention run failed", "error", err)
		case err == nil && len(run.Meetings) > 0:
			for _, m := range run.Meetings {
				a.log.Info("meeting anonymised after the retention period", "event_id", m.EventID, "registrations", m.Registrations)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// pruneMailBodies deletes the text of mails sent longer ago than
// mail_keep_bodies, now and then once a day until ctx ends.
func (a *app) pruneMailBodies(ctx context.Context) {
	if a.cfg.MailKeepBodies <= 0 {
		return
	}
	tick := time.NewTicker(retentionEvery)
	defer tick.Stop()
	for {
		n, err := a.outbox.PruneBodies(ctx, time.Now().Add(-a.cfg.MailKeepBodies))
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("pruning sent mails failed", "error", err)
		case n > 0:
			a.log.Info("text of sent mails deleted", "mails", n, "older_than", a.cfg.MailKeepBodies)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (a *app) privacyStore() *privacy.Store { return privacy.NewStore(a.db.Gorm, a.registrations) }

// privacyCommand runs `treffen privacy anonymise [--dry-run]`.
func (a *app) privacyCommand(ctx context.Context, sub string, dryRun bool, stdout io.Writer) error {
	if sub != "anonymise" {
		return fmt.Errorf("privacy: use `privacy anonymise [--dry-run]`")
	}
	if a.cfg.RetentionMonths <= 0 {
		fmt.Fprintln(stdout, "Aufbewahrungsfrist ist ausgeschaltet (retention_months = 0): nichts zu tun.")
		return nil
	}
	run, err := a.privacyStore().Anonymise(ctx, a.cfg.RetentionMonths, dryRun)
	if err != nil {
		return err
	}
	verb := "anonymisiert"
	if dryRun {
		verb = "würden anonymisiert (Probelauf, nichts geändert)"
	}
	fmt.Fprintf(stdout, "Aufbewahrungsfrist %d Monate: Veranstaltungen mit letztem Tag vor dem %s.\n", a.cfg.RetentionMonths, run.Cutoff.German())
	for _, m := range run.Meetings {
		fmt.Fprintf(stdout, "  %d\t%s (%s): %d Anmeldung(en) %s\n", m.EventID, m.Name, m.Days.German(), m.Registrations, verb)
	}
	if len(run.Meetings) == 0 {
		fmt.Fprintln(stdout, "  keine Veranstaltung fällig")
	}
	return nil
}
