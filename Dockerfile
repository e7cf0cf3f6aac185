# Production image: a static binary on a small Debian base (tzdata and CA
# certificates for SMTP over TLS).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/treffen ./cmd/treffen

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata && rm -rf /var/lib/apt/lists/* \
	&& useradd --system --home /var/lib/treffen --create-home treffen \
	&& mkdir -p /var/lib/treffen/uploads && chown treffen /var/lib/treffen/uploads
COPY --from=build /out/treffen /usr/local/bin/treffen
USER treffen
WORKDIR /var/lib/treffen
ENV TREFFEN_ADDR=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/treffen", "health"]
ENTRYPOINT ["/usr/local/bin/treffen"]
CMD ["serve"]
