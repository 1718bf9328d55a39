package catalog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// A snapshot is what the index was built from (the published offers as the
// search sees them, and the facet labels), written to the data folder
// after every rebuild from the database. A new instance reads it instead
// of the database, which is most of the time of a build, and applies the
// change log from the snapshot's version on; a snapshot whose version the
// log no longer reaches (pruned, or a database restored from a backup) is
// not used.
//
// Format: a magic line, the catalog version, then the offers and the
// labels as varints; a string is written once and referenced by number
// afterwards (titles and descriptions of variants of a course, provider
// and place names repeat).
const snapshotMagic = "lotse catalog snapshot 1\n"

type snapWriter struct {
	w    *bufio.Writer
	strs map[string]uint64
	buf  [binary.MaxVarintLen64]byte
}

func (w *snapWriter) uint(v uint64) { w.w.Write(w.buf[:binary.PutUvarint(w.buf[:], v)]) }
func (w *snapWriter) int(v int64)   { w.w.Write(w.buf[:binary.PutVarint(w.buf[:], v)]) }

func (w *snapWriter) str(s string) {
	if i, ok := w.strs[s]; ok {
		w.uint(i + 1)
		return
	}
	w.strs[s] = uint64(len(w.strs))
	w.uint(0)
	w.uint(uint64(len(s)))
	w.w.WriteString(s)
}

func (w *snapWriter) strings(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *snapWriter) offer(o *domain.Offer) {
	w.int(o.ID)
	w.str(o.Title)
	w.str(o.Summary)
	w.str(o.Description)
	w.strings(o.Outcomes)
	w.int(o.ProviderID)
	w.str(o.ProviderName)
	w.str(o.Format)
	w.str(o.Level)
	w.str(o.Language)
	w.str(o.Certificate)
	w.int(int64(o.Hours))
	w.int(int64(o.Days))
	w.int(o.PriceCents)
	w.uint(math.Float64bits(o.Credits))
	w.uint(uint64(len(o.Competences)))
	for _, c := range o.Competences {
		w.str(c.Code)
		w.str(c.Name)
		w.int(int64(c.Level))
	}
	w.strings(o.FundingTracks)
	w.uint(uint64(len(o.Sessions)))
	for _, s := range o.Sessions {
		w.int(s.ID)
		w.int(s.StartsAt.Unix())
		w.int(s.EndsAt.Unix())
		w.int(s.RegistrationDeadline.Unix())
		w.int(int64(s.Days))
		w.int(int64(s.Capacity))
		if s.Online {
			w.uint(1)
		} else {
			w.uint(0)
		}
		w.str(s.AGS)
		w.str(s.Place)
		w.str(s.Address)
	}
}

// snapshotFile writes a snapshot to a temporary file beside path and
// renames it into place when done, so that a reader never sees half of one.
type snapshotFile struct {
	path string
	f    *os.File
	w    *snapWriter
	n    int
}

func createSnapshot(path string, version int64) (*snapshotFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".catalog-snapshot-*")
	if err != nil {
		return nil, err
	}
	sf := &snapshotFile{path: path, f: f, w: &snapWriter{w: bufio.NewWriterSize(f, 1<<20), strs: map[string]uint64{}}}
	sf.w.w.WriteString(snapshotMagic)
	sf.w.int(version)
	return sf, nil
}

func (sf *snapshotFile) add(o *domain.Offer) {
	sf.w.uint(1)
	sf.w.offer(o)
	sf.n++
}

func (sf *snapshotFile) finish(labels map[string]string) error {
	sf.w.uint(0)
	sf.w.uint(uint64(len(labels)))
	for k, v := range labels {
		sf.w.str(k)
		sf.w.str(v)
	}
	err := sf.w.w.Flush()
	if err == nil {
		err = sf.f.Sync()
	}
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(sf.f.Name(), sf.path)
	}
	if err != nil {
		os.Remove(sf.f.Name())
	}
	return err
}

func (sf *snapshotFile) abort() {
	sf.f.Close()
	os.Remove(sf.f.Name())
}

var errSnapshot = errors.New("catalog snapshot damaged")

type snapReader struct {
	data []byte
	strs []string
	err  error
}

func (r *snapReader) uint() uint64 {
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.err = errSnapshot
		r.data = nil
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *snapReader) int() int64 {
	v, n := binary.Varint(r.data)
	if n <= 0 {
		r.err = errSnapshot
		r.data = nil
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *snapReader) str() string {
	k := r.uint()
	if k > 0 {
		if k > uint64(len(r.strs)) {
			r.err = errSnapshot
			return ""
		}
		return r.strs[k-1]
	}
	n := r.uint()
	if n > uint64(len(r.data)) {
		r.err, r.data = errSnapshot, nil
		return ""
	}
	s := string(r.data[:n])
	r.data = r.data[n:]
	r.strs = append(r.strs, s)
	return s
}

func (r *snapReader) strings() []string {
	n := r.uint()
	if n > uint64(len(r.data)) {
		r.err = errSnapshot
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *snapReader) offer() *domain.Offer {
	o := &domain.Offer{Status: domain.OfferPublished}
	o.ID = r.int()
	o.Title = r.str()
	o.Summary = r.str()
	o.Description = r.str()
	o.Outcomes = r.strings()
	o.ProviderID = r.int()
	o.ProviderName = r.str()
	o.Format = r.str()
	o.Level = r.str()
	o.Language = r.str()
	o.Certificate = r.str()
	o.Hours = int(r.int())
	o.Days = int(r.int())
	o.PriceCents = r.int()
	o.Credits = math.Float64frombits(r.uint())
	if n := r.uint(); n > 0 && n <= uint64(len(r.data)) {
		o.Competences = make([]domain.OfferCompetence, n)
		for i := range o.Competences {
			o.Competences[i] = domain.OfferCompetence{Code: r.str(), Name: r.str(), Level: int(r.int())}
		}
	}
	o.FundingTracks = r.strings()
	if n := r.uint(); n > 0 && n <= uint64(len(r.data)) {
		o.Sessions = make([]domain.Session, n)
		for i := range o.Sessions {
			s := &o.Sessions[i]
			s.OfferID = o.ID
			s.ID = r.int()
			s.StartsAt = time.Unix(r.int(), 0).UTC()
			s.EndsAt = time.Unix(r.int(), 0).UTC()
			s.RegistrationDeadline = time.Unix(r.int(), 0).UTC()
			s.Days = int(r.int())
			s.Capacity = int(r.int())
			s.Online = r.uint() == 1
			s.AGS = r.str()
			s.Place = r.str()
			s.Address = r.str()
		}
	}
	return o
}

// readSnapshot reads a snapshot, calling fn for each offer in the order
// written (ascending ID), and returns its version and labels.
func readSnapshot(path string, fn func(*domain.Offer)) (version int64, labels map[string]string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, err
	}
	if len(data) < len(snapshotMagic) || string(data[:len(snapshotMagic)]) != snapshotMagic {
		return 0, nil, fmt.Errorf("%w: not a snapshot", errSnapshot)
	}
	r := &snapReader{data: data[len(snapshotMagic):]}
	version = r.int()
	for r.err == nil && r.uint() == 1 {
		o := r.offer()
		if r.err == nil {
			fn(o)
		}
	}
	n := r.uint()
	labels = make(map[string]string, min(n, 1<<16))
	for i := uint64(0); i < n && r.err == nil; i++ {
		k := r.str()
		labels[k] = r.str()
	}
	if r.err != nil {
		return 0, nil, r.err
	}
	return version, labels, nil
}
