package vg5000

import "math"

// Bessel 1841, the ellipsoid of DHDN, and WGS84.
const (
	besselA  = 6377397.155
	besselF  = 1 / 299.1528128
	wgs84A   = 6378137.0
	wgs84F   = 1 / 298.257223563
	gkZone3L = 9.0 // central meridian of zone 3, degrees
	gkZone3E = 3500000.0
)

// GKToWGS84 converts a Gauß-Krüger zone 3 position (EPSG:31467, DHDN) to
// WGS84 latitude and longitude in degrees: the inverse transverse Mercator
// on the Bessel ellipsoid (series to D^6, millimetres within the zone),
// then a 7-parameter Helmert shift DHDN→WGS84 (the nationwide parameter set
// EPSG:1777, "DHDN to WGS 84 (3)", position vector convention). The
// nationwide shift is good to about 3 m (locally up to some metres);
// far below the 100 m that distances between municipalities need.
func GKToWGS84(x, y float64) (lat, lon float64) {
	phi, lam := inverseTM(x-gkZone3E, y, besselA, besselF, gkZone3L*math.Pi/180)
	X, Y, Z := toECEF(phi, lam, 0, besselA, besselF)
	X, Y, Z = helmert(X, Y, Z)
	phi, lam = fromECEF(X, Y, Z, wgs84A, wgs84F)
	return phi * 180 / math.Pi, lam * 180 / math.Pi
}

// inverseTM is Snyder's inverse transverse Mercator (USGS PP 1395, eq.
// 8-12 ff.) with scale factor 1 and false northing 0; e is the easting
// minus the false easting.
func inverseTM(e, n, a, f, lam0 float64) (phi, lam float64) {
	e2 := f * (2 - f)
	ep2 := e2 / (1 - e2)
	mu := n / (a * (1 - e2/4 - 3*e2*e2/64 - 5*e2*e2*e2/256))
	e1 := (1 - math.Sqrt(1-e2)) / (1 + math.Sqrt(1-e2))
	phi1 := mu + (3*e1/2-27*math.Pow(e1, 3)/32)*math.Sin(2*mu) +
		(21*e1*e1/16-55*math.Pow(e1, 4)/32)*math.Sin(4*mu) +
		(151*math.Pow(e1, 3)/96)*math.Sin(6*mu) +
		(1097*math.Pow(e1, 4)/512)*math.Sin(8*mu)
	sin, cos, tan := math.Sin(phi1), math.Cos(phi1), math.Tan(phi1)
	c1 := ep2 * cos * cos
	t1 := tan * tan
	n1 := a / math.Sqrt(1-e2*sin*sin)
	r1 := a * (1 - e2) / math.Pow(1-e2*sin*sin, 1.5)
	d := e / n1
	phi = phi1 - (n1*tan/r1)*(d*d/2-
		(5+3*t1+10*c1-4*c1*c1-9*ep2)*math.Pow(d, 4)/24+
		(61+90*t1+298*c1+45*t1*t1-252*ep2-3*c1*c1)*math.Pow(d, 6)/720)
	lam = lam0 + (d-(1+2*t1+c1)*math.Pow(d, 3)/6+
		(5-2*c1+28*t1-3*c1*c1+8*ep2+24*t1*t1)*math.Pow(d, 5)/120)/cos
	return phi, lam
}

func toECEF(phi, lam, h, a, f float64) (x, y, z float64) {
	e2 := f * (2 - f)
	n := a / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi))
	x = (n + h) * math.Cos(phi) * math.Cos(lam)
	y = (n + h) * math.Cos(phi) * math.Sin(lam)
	z = (n*(1-e2) + h) * math.Sin(phi)
	return x, y, z
}

// fromECEF iterates the latitude; five rounds are far below a millimetre.
func fromECEF(x, y, z, a, f float64) (phi, lam float64) {
	e2 := f * (2 - f)
	lam = math.Atan2(y, x)
	p := math.Hypot(x, y)
	phi = math.Atan2(z, p*(1-e2))
	for range 5 {
		n := a / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi))
		h := p/math.Cos(phi) - n
		phi = math.Atan2(z, p*(1-e2*n/(n+h)))
	}
	return phi, lam
}

// helmert applies EPSG:1777 (DHDN→WGS84): translation in metres, rotation
// in arc seconds (position vector convention), scale in ppm.
func helmert(x, y, z float64) (float64, float64, float64) {
	const (
		tx, ty, tz = 598.1, 73.7, 418.2
		rxs, rys   = 0.202, 0.045
		rzs        = -2.455
		ppm        = 6.7
	)
	sec := math.Pi / (180 * 3600)
	rx, ry, rz := rxs*sec, rys*sec, rzs*sec
	s := 1 + ppm*1e-6
	return tx + s*(x-rz*y+ry*z),
		ty + s*(rz*x+y-rx*z),
		tz + s*(-ry*x+rx*y+z)
}
