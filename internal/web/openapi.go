package web

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPISpec describes every /api/v1 route; a test checks it against the
// router so a new route cannot go undocumented.
//
//go:embed openapi.json
var openAPISpec []byte

func (s *Server) openAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json", openAPISpec)
	return nil
}
