package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/go-pdf/fpdf"
)

// placeholderPDF renders a one-page PDF standing in for a presentation of
// the demo documentation: its title, the meeting and a note that it is a
// placeholder.
func placeholderPDF(title, meeting string) ([]byte, error) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetTitle(title, true)
	pdf.SetAuthor(organiserISA, true)
	pdf.SetMargins(25, 30, 25)
	pdf.AddPage()
	// The core fonts know only cp1252; the translator maps umlauts and
	// German quotation marks into it.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFillColor(0, 98, 135)
	pdf.Rect(0, 0, 297, 12, "F")
	pdf.SetY(45)
	pdf.SetFont("Helvetica", "B", 26)
	pdf.SetTextColor(0, 70, 100)
	pdf.MultiCell(0, 12, tr(title), "", "L", false)
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "", 16)
	pdf.SetTextColor(40, 40, 40)
	pdf.MultiCell(0, 8, tr(meeting), "", "L", false)
	pdf.Ln(18)
	pdf.SetFont("Helvetica", "I", 14)
	pdf.SetTextColor(110, 110, 110)
	pdf.MultiCell(0, 7, tr("Demodaten – Platzhalter für die Präsentation"), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("placeholder PDF %q: %w", title, err)
	}
	return buf.Bytes(), nil
}

// Size of the placeholder photos.
const photoWidth, photoHeight = 1200, 800

// placeholderPhoto paints an abstract picture of people in a hall: a warm
// wall, a stage with a screen, and rows of round heads on shoulders in
// varied colours seen from behind. variant shifts the colours and the
// crowd so the two photos differ. It is encoded for speed, not size.
func placeholderPhoto(variant int) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, photoWidth, photoHeight))
	wallTop := color.RGBA{250, 236, 214, 255}
	wallBottom := color.RGBA{222, 196, 170, 255}
	if variant%2 == 1 {
		wallTop, wallBottom = color.RGBA{226, 238, 246, 255}, color.RGBA{184, 206, 222, 255}
	}
	for y := 0; y < photoHeight; y++ {
		c := blend(wallTop, wallBottom, float64(y)/photoHeight)
		for x := 0; x < photoWidth; x++ {
			img.SetRGBA(x, y, c)
		}
	}
	// Stage and screen.
	fillRect(img, image.Rect(0, 300, photoWidth, 340), color.RGBA{120, 82, 60, 255})
	fillRect(img, image.Rect(380, 70, 820, 280), color.RGBA{250, 250, 250, 255})
	fillRect(img, image.Rect(400, 90, 800, 140), color.RGBA{0, 98, 135, 255})
	for i, w := range []int{330, 260, 300} {
		fillRect(img, image.Rect(400, 165+i*35, 400+w, 180+i*35), color.RGBA{170, 190, 200, 255})
	}
	palette := []color.RGBA{
		{214, 93, 72, 255}, {63, 128, 165, 255}, {240, 178, 74, 255}, {96, 156, 110, 255},
		{148, 98, 160, 255}, {60, 72, 92, 255}, {228, 128, 150, 255}, {90, 170, 180, 255},
	}
	skin := []color.RGBA{{241, 204, 170, 255}, {200, 150, 112, 255}, {140, 96, 70, 255}, {230, 186, 150, 255}}
	hair := []color.RGBA{{60, 42, 30, 255}, {30, 26, 24, 255}, {150, 110, 70, 255}, {200, 196, 190, 255}, {110, 60, 36, 255}}
	// Rows from the back to the front: later rows are larger and cover
	// the earlier ones.
	for row := 0; row < 5; row++ {
		r := 22 + row*7
		y := 380 + row*90
		step := 2*r + 26 + row*6
		offset := (row*37 + variant*53) % step
		for i, x := 0, -offset; x < photoWidth+step; i, x = i+1, x+step {
			n := i*7 + row*3 + variant*5
			if (n+row)%11 == 4 {
				continue // an empty seat
			}
			cx := x + (n*13)%17 - 8
			body := palette[n%len(palette)]
			fillEllipse(img, cx, y+2*r+10, 2*r-2, int(float64(r)*1.5), body)
			fillEllipse(img, cx, y, r, r, skin[n%len(skin)])
			fillEllipse(img, cx, y-r/4, r, r-r/4, hair[(n/2)%len(hair)])
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("placeholder photo: %w", err)
	}
	return buf.Bytes(), nil
}

func blend(a, b color.RGBA, t float64) color.RGBA {
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// fillEllipse paints the ellipse around (cx, cy) with radii rx, ry.
func fillEllipse(img *image.RGBA, cx, cy, rx, ry int, c color.RGBA) {
	if rx <= 0 || ry <= 0 {
		return
	}
	box := image.Rect(cx-rx, cy-ry, cx+rx+1, cy+ry+1).Intersect(img.Bounds())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		dy := float64(y-cy) / float64(ry)
		for x := box.Min.X; x < box.Max.X; x++ {
			dx := float64(x-cx) / float64(rx)
			if dx*dx+dy*dy <= 1 {
				img.SetRGBA(x, y, c)
			}
		}
	}
}
