package web_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
)

// openAPIDoc is the served OpenAPI document, decoded loosely.
type openAPIDoc map[string]any

var openAPIMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

func (e *env) openAPI() openAPIDoc {
	e.t.Helper()
	r := e.api(http.MethodGet, "/api/v1/openapi.json", "", nil)
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		e.t.Fatalf("openapi.json: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	var doc openAPIDoc
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		e.t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		e.t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	return doc
}

// operations lists "METHOD /path" of every operation in the document.
func (s openAPIDoc) operations() map[string]map[string]any {
	out := map[string]map[string]any{}
	paths, _ := s["paths"].(map[string]any)
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for _, m := range openAPIMethods {
			if op, ok := item[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return out
}

// resolve follows a local "$ref" (and refs it leads to).
func (s openAPIDoc) resolve(node any) (map[string]any, error) {
	for range 10 {
		m, ok := node.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("not an object: %v", node)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		if !strings.HasPrefix(ref, "#/") {
			return nil, fmt.Errorf("non-local $ref %q", ref)
		}
		var cur any = map[string]any(s)
		for _, part := range strings.Split(ref[2:], "/") {
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			obj, ok := cur.(map[string]any)
			if !ok || obj[part] == nil {
				return nil, fmt.Errorf("$ref %q does not resolve", ref)
			}
			cur = obj[part]
		}
		node = cur
	}
	return nil, fmt.Errorf("$ref loop")
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_][A-Za-z0-9_]*)`)

// routerOperations lists "METHOD /path" of every /api/v1 route of the
// running router, with gin's ":id" written as OpenAPI's "{id}".
func (e *env) routerOperations() map[string]bool {
	e.t.Helper()
	engine, ok := e.handler.(*gin.Engine)
	if !ok {
		e.t.Fatalf("web.New returned %T, not *gin.Engine", e.handler)
	}
	out := map[string]bool{}
	for _, r := range engine.Routes() {
		if r.Path == "/api/v1" || strings.HasPrefix(r.Path, "/api/v1/") {
			out[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	return out
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	router := e.routerOperations()
	documented := doc.operations()
	if len(router) == 0 {
		t.Fatal("router has no /api/v1 routes")
	}
	var missing, extra []string
	for op := range router {
		if _, ok := documented[op]; !ok {
			missing = append(missing, op)
		}
	}
	for op := range documented {
		if !router[op] {
			extra = append(extra, op)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes without an operation in openapi.json: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("operations in openapi.json without a route: %v", extra)
	}
}

func TestOpenAPIDocumentIsComplete(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()

	// Every $ref anywhere in the document resolves.
	var walk func(path string, node any)
	walk = func(path string, node any) {
		switch n := node.(type) {
		case map[string]any:
			if _, ok := n["$ref"]; ok {
				if _, err := doc.resolve(n); err != nil {
					t.Errorf("%s: %v", path, err)
				}
			}
			for k, v := range n {
				walk(path+"/"+k, v)
			}
		case []any:
			for i, v := range n {
				walk(path+"/"+strconv.Itoa(i), v)
			}
		}
	}
	walk("#", map[string]any(doc))

	schemes, _ := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if b, _ := schemes["bearerAuth"].(map[string]any); b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("bearerAuth scheme: %v", schemes["bearerAuth"])
	}
	tags := map[string]bool{}
	for _, tag := range doc["tags"].([]any) {
		tags[tag.(map[string]any)["name"].(string)] = true
	}
	ids := map[string]string{}
	paths := doc["paths"].(map[string]any)
	for key, op := range doc.operations() {
		path := strings.SplitN(key, " ", 2)[1]
		if id, _ := op["operationId"].(string); id == "" {
			t.Errorf("%s: no operationId", key)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s: operationId %q also used by %s", key, id, other)
		} else {
			ids[id] = key
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s: no summary", key)
		}
		opTags, _ := op["tags"].([]any)
		if len(opTags) == 0 {
			t.Errorf("%s: no tags", key)
		}
		for _, tag := range opTags {
			if !tags[tag.(string)] {
				t.Errorf("%s: tag %v not declared", key, tag)
			}
		}
		if _, ok := op["security"].([]any); !ok {
			t.Errorf("%s: security not stated (use [] for public operations)", key)
		}
		responses, _ := op["responses"].(map[string]any)
		if len(responses) == 0 {
			t.Errorf("%s: no responses", key)
		}
		for status, r := range responses {
			if _, err := strconv.Atoi(status); err != nil {
				t.Errorf("%s: response key %q is not a status", key, status)
			}
			if _, err := doc.resolve(r); err != nil {
				t.Errorf("%s %s: %v", key, status, err)
			}
		}
		// Every {param} of the path is declared as a path parameter.
		declared := map[string]bool{}
		var params []any
		if item, ok := paths[path].(map[string]any); ok {
			p, _ := item["parameters"].([]any)
			params = append(params, p...)
		}
		p, _ := op["parameters"].([]any)
		params = append(params, p...)
		for _, raw := range params {
			param, err := doc.resolve(raw)
			if err != nil {
				t.Errorf("%s: %v", key, err)
				continue
			}
			if param["in"] == "path" {
				declared[param["name"].(string)] = true
				if param["required"] != true {
					t.Errorf("%s: path parameter %v not required", key, param["name"])
				}
			}
		}
		for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %q not declared", key, m[1])
			}
		}
	}
}

// TestOpenAPISecurityMatchesRouter sends each documented operation without
// a token: operations that require bearerAuth must answer 401 with
// WWW-Authenticate, the others must not ask for authentication. Every
// status seen must be documented for the operation.
func TestOpenAPISecurityMatchesRouter(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	ev := e.event(10, 0, 1)
	for key, op := range doc.operations() {
		method, path, _ := strings.Cut(key, " ")
		url := strings.ReplaceAll(path, "{id}", strconv.FormatInt(ev.ID, 10))
		var body any
		if method != http.MethodGet {
			body = "kein JSON" // a public write must fail on the body, not on authentication
		}
		security, _ := op["security"].([]any)
		required, optional := len(security) > 0, false
		for _, req := range security {
			if len(req.(map[string]any)) == 0 {
				required, optional = false, true // {} makes authentication optional
			}
		}

		r := e.api(method, url, "", body)
		switch {
		case required && (r.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer")):
			t.Errorf("%s without token: %d, WWW-Authenticate %q; want 401 (security says bearerAuth)", key, r.StatusCode, r.Header.Get("WWW-Authenticate"))
		case !required && r.StatusCode == http.StatusUnauthorized:
			t.Errorf("%s without token: 401, but security says the operation is public", key)
		}
		e.mustDocumentStatus(doc, key, r.StatusCode)

		if required || optional {
			r := e.api(method, url, "kein-gültiges-token", body)
			if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Header.Get("WWW-Authenticate"), "invalid_token") {
				t.Errorf("%s with a bad token: %d, WWW-Authenticate %q; want 401 invalid_token", key, r.StatusCode, r.Header.Get("WWW-Authenticate"))
			}
			e.mustDocumentStatus(doc, key, r.StatusCode)
		}
	}
}

func (e *env) mustDocumentStatus(doc openAPIDoc, key string, status int) {
	e.t.Helper()
	if _, ok := doc.operations()[key]["responses"].(map[string]any)[strconv.Itoa(status)]; !ok {
		e.t.Errorf("%s answered %d, which openapi.json does not document", key, status)
	}
}

// conform checks a response against the schema the document gives for
// the operation and status: every field documented, required fields
// present, types, enums, dates and timestamps as described.
func (e *env) conform(doc openAPIDoc, key string, r response) {
	e.t.Helper()
	op := doc.operations()[key]
	if op == nil {
		e.t.Errorf("%s: not in openapi.json", key)
		return
	}
	raw, ok := op["responses"].(map[string]any)[strconv.Itoa(r.StatusCode)]
	if !ok {
		e.t.Errorf("%s answered %d, which openapi.json does not document: %s", key, r.StatusCode, r.Body)
		return
	}
	res, err := doc.resolve(raw)
	if err != nil {
		e.t.Fatal(err)
	}
	media, _ := res["content"].(map[string]any)["application/json"].(map[string]any)
	if media == nil {
		e.t.Errorf("%s %d: no application/json content documented", key, r.StatusCode)
		return
	}
	var body any
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		e.t.Errorf("%s %d: body is not JSON: %v", key, r.StatusCode, err)
		return
	}
	for _, problem := range doc.validate(media["schema"], body, "body") {
		e.t.Errorf("%s %d: %s", key, r.StatusCode, problem)
	}
}

// validate is a small JSON Schema check for the keywords the document
// uses. Objects with properties are closed: an undocumented field is an
// error even where the schema would allow it, so the document stays
// exact.
func (s openAPIDoc) validate(node any, v any, at string) []string {
	// In OpenAPI 3.1 keywords next to a $ref apply as well.
	if m, ok := node.(map[string]any); ok && m["$ref"] != nil && len(m) > 1 {
		rest := map[string]any{}
		for k, x := range m {
			if k != "$ref" {
				rest[k] = x
			}
		}
		return append(s.validate(map[string]any{"$ref": m["$ref"]}, v, at), s.validate(rest, v, at)...)
	}
	schema, err := s.resolve(node)
	if err != nil {
		return []string{at + ": " + err.Error()}
	}
	var errs []string
	if all, ok := schema["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, s.validate(sub, v, at)...)
		}
	}
	if t, ok := schema["type"]; ok && !typeMatches(t, v) {
		return append(errs, fmt.Sprintf("%s: %s is not of type %v", at, shortJSON(v), t))
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		errs = append(errs, fmt.Sprintf("%s: %s not in %v", at, shortJSON(v), enum))
	}
	if str, ok := v.(string); ok {
		switch schema["format"] {
		case "date":
			if _, err := time.Parse("2006-01-02", str); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not a date", at, str))
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not a date-time", at, str))
			}
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", at, str, p))
		}
	}
	if n, ok := v.(float64); ok {
		if min, ok := schema["minimum"].(float64); ok && n < min {
			errs = append(errs, fmt.Sprintf("%s: %v below minimum %v", at, n, min))
		}
	}
	switch val := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, req := range jsonList(schema["required"]) {
			if _, ok := val[req.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required field %q missing", at, req))
			}
		}
		for k, fv := range val {
			switch {
			case props[k] != nil:
				errs = append(errs, s.validate(props[k], fv, at+"."+k)...)
			case schema["additionalProperties"] != nil && schema["additionalProperties"] != false:
				if extra, ok := schema["additionalProperties"].(map[string]any); ok {
					errs = append(errs, s.validate(extra, fv, at+"."+k)...)
				}
			case props != nil:
				errs = append(errs, fmt.Sprintf("%s: field %q is not documented", at, k))
			}
		}
	case []any:
		if items, ok := schema["items"]; ok {
			for i, iv := range val {
				errs = append(errs, s.validate(items, iv, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func jsonList(v any) []any { l, _ := v.([]any); return l }

func typeMatches(t any, v any) bool {
	types := []any{t}
	if l, ok := t.([]any); ok {
		types = l
	}
	for _, t := range types {
		switch x := v.(type) {
		case nil:
			if t == "null" {
				return true
			}
		case bool:
			if t == "boolean" {
				return true
			}
		case string:
			if t == "string" {
				return true
			}
		case float64:
			if t == "number" || (t == "integer" && x == math.Trunc(x)) {
				return true
			}
		case []any:
			if t == "array" {
				return true
			}
		case map[string]any:
			if t == "object" {
				return true
			}
		}
	}
	return false
}

func shortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}

// TestOpenAPISchemasMatchResponses walks through the API and checks each
// answer against the schema the document gives for it.
func TestOpenAPISchemasMatchResponses(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	ev := e.event(1, 0, 2)
	id := strconv.FormatInt(ev.ID, 10)

	e.conform(doc, "POST /api/v1/tokens", e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": organiserEmail, "password": organiserPassword, "name": "Statistik-Export"}))
	e.conform(doc, "POST /api/v1/tokens", e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": organiserEmail, "password": "falsch"}))
	e.conform(doc, "POST /api/v1/tokens", e.api(http.MethodPost, "/api/v1/tokens", "", `{"email": 1}`))

	e.conform(doc, "GET /api/v1/municipalities", e.api(http.MethodGet, "/api/v1/municipalities", "", nil))
	e.conform(doc, "POST /api/v1/municipalities", e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": "Stadt Übach-Palenberg"}))
	e.conform(doc, "POST /api/v1/municipalities", e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": "Stadt Ahlen"}))
	e.conform(doc, "POST /api/v1/municipalities", e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": ""}))
	e.conform(doc, "POST /api/v1/municipalities", e.api(http.MethodPost, "/api/v1/municipalities", "", map[string]string{"name": "Stadt Hamm"}))

	e.conform(doc, "POST /api/v1/events", e.api(http.MethodPost, "/api/v1/events", token, map[string]any{
		"number": 26, "days": []string{"2027-03-03", "2027-03-04"}, "capacity": 70, "host_municipality_id": e.ahlen.ID,
		"registration_opens_at": "2027-01-01", "registration_closes_at": "2027-02-28"}))
	e.conform(doc, "POST /api/v1/events", e.api(http.MethodPost, "/api/v1/events", token, map[string]any{"number": 26, "days": []string{}, "capacity": 0}))
	e.conform(doc, "GET /api/v1/events", e.api(http.MethodGet, "/api/v1/events", token, nil))
	e.conform(doc, "GET /api/v1/events", e.api(http.MethodGet, "/api/v1/events?when=bogus", "", nil))
	e.conform(doc, "GET /api/v1/events/{id}", e.api(http.MethodGet, "/api/v1/events/"+id, "", nil))
	e.conform(doc, "GET /api/v1/events/{id}", e.api(http.MethodGet, "/api/v1/events/999999", "", nil))

	reg := func(first, last, email string) response {
		return e.api(http.MethodPost, "/api/v1/events/"+id+"/registrations", "", map[string]any{"first_name": first, "last_name": last,
			"email": email, "municipality_id": e.ahlen.ID, "privacy_consent": true, "salutation": "Herr"})
	}
	e.conform(doc, "POST /api/v1/events/{id}/registrations", reg("Jürgen", "Weiß", "j.weiss@ahlen.example"))
	e.conform(doc, "POST /api/v1/events/{id}/registrations", reg("Jürgen", "Weiß", "j.weiss@ahlen.example"))
	e.conform(doc, "POST /api/v1/events/{id}/registrations", reg("", "", "kein-at-zeichen"))
	waiting := reg("Şükrü", "Öztürk", "s.oeztuerk@ahlen.example")
	if !strings.Contains(waiting.Body, `"waitlist_position":1`) {
		t.Errorf("second registration not waiting: %s", waiting.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/registrations", waiting)
	e.conform(doc, "PATCH /api/v1/events/{id}", e.api(http.MethodPatch, "/api/v1/events/"+id, token, map[string]any{"capacity": 2}))
	e.conform(doc, "PATCH /api/v1/events/{id}", e.api(http.MethodPatch, "/api/v1/events/"+id, token, map[string]any{"capacity": 0}))
	e.conform(doc, "PATCH /api/v1/events/{id}", e.api(http.MethodPatch, "/api/v1/events/"+id, token, map[string]any{"kapazität": 3}))
	e.conform(doc, "GET /api/v1/events/{id}/registrations", e.api(http.MethodGet, "/api/v1/events/"+id+"/registrations", token, nil))
	e.conform(doc, "GET /api/v1/events/{id}/registrations", e.api(http.MethodGet, "/api/v1/events/"+id+"/registrations?status=bogus", token, nil))

	// A host may read but not write: 403.
	host, err := e.users.Create(t.Context(), account.NewUser{Email: "haus@koeln.example", Password: organiserPassword, Role: account.Host})
	if err != nil {
		t.Fatal(err)
	}
	e.conform(doc, "POST /api/v1/tokens", e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": "haus@koeln.example", "password": organiserPassword}))
	hostToken, _, err := e.users.CreateToken(t.Context(), host.ID, "vor dem Rollenwechsel")
	if err != nil {
		t.Fatal(err)
	}
	e.conform(doc, "POST /api/v1/municipalities", e.api(http.MethodPost, "/api/v1/municipalities", hostToken, map[string]string{"name": "Stadt Hamm"}))
}
