package registration

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/outbox"
)

// RequestCertificate queues the certificate of attendance of registration
// id for its address. Whether the person was checked in is the caller's
// to check; the mail worker checks again when it renders the PDF.
func (s *Store) RequestCertificate(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Registration
		if err := tx.First(&r, id).Error; err != nil {
			return notFound(err)
		}
		return outbox.Enqueue(tx, outbox.Certificate, r.EventID, r.ID, r.Email, s.now().UTC())
	})
	if err != nil {
		return fmt.Errorf("request certificate of registration %d: %w", id, err)
	}
	s.onQueued()
	return nil
}
