package filestore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config names an S3-compatible bucket.
type S3Config struct {
	// Endpoint is the server's host[:port], without scheme (e.g.
	// "s3.eu-central-1.amazonaws.com" or "minio.internal:9000").
	Endpoint string
	Bucket   string
	Region   string // may be empty for servers that ignore it
	// AccessKey and SecretKey are the credentials.
	AccessKey, SecretKey string
	// PathStyle addresses the bucket as endpoint/bucket rather than
	// bucket.endpoint (most self-hosted servers want this).
	PathStyle bool
	// Insecure talks plain HTTP rather than HTTPS.
	Insecure bool
	// Prefix is put before every key ("" for none; e.g. "lotse/"), so that
	// one bucket can hold other things too.
	Prefix string
}

// S3 keeps blobs as objects in a bucket of an S3-compatible server, one
// object per key (optionally under Prefix). Several instances share it.
type S3 struct {
	c      *minio.Client
	bucket string
	prefix string
}

var _ Store = (*S3)(nil)

// refreshAfter is how old a blob may be before a Put of the same content
// uploads it again, so that its modification time shows it is in use (see
// the orphan collection in Store.List).
const refreshAfter = time.Hour

// NewS3 connects to the bucket and checks that it exists. The bucket is
// not created: an operator sets it up with its access rights.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	s, err := newS3Client(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func newS3Client(cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("filestore: S3 needs an endpoint and a bucket")
	}
	ep := cfg.Endpoint
	for _, scheme := range []string{"https://", "http://"} {
		if strings.HasPrefix(ep, scheme) {
			return nil, fmt.Errorf("filestore: give the S3 endpoint without %s (host and port; TLS is a separate setting)", scheme)
		}
	}
	lookup := minio.BucketLookupDNS
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(ep, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       !cfg.Insecure,
		Region:       cfg.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("filestore: S3 endpoint %s: %w", ep, err)
	}
	return &S3{c: c, bucket: cfg.Bucket, prefix: cfg.Prefix}, nil
}

// Ping checks that the bucket exists and the credentials open it.
func (s *S3) Ping(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("filestore: S3 bucket %s: %w", s.bucket, err)
	}
	if !ok {
		return fmt.Errorf("filestore: S3 bucket %s does not exist", s.bucket)
	}
	return nil
}

// Bucket names the bucket.
func (s *S3) Bucket() string { return s.bucket }

// Put uploads content under its key. An object that is there already
// is uploaded again only when it is older than an hour, which renews its
// modification time (a blob about to be referenced is never collected).
func (s *S3) Put(ctx context.Context, content []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	key := SHA256Hex(content)
	if fi, err := s.c.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{}); err == nil &&
		fi.Size == int64(len(content)) && time.Since(fi.LastModified) < refreshAfter {
		return key, nil
	}
	_, err := s.c.PutObject(ctx, s.bucket, s.prefix+key, bytes.NewReader(content), int64(len(content)),
		minio.PutObjectOptions{ContentType: "application/octet-stream", DisableMultipart: true})
	if err != nil {
		return "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	return key, nil
}

// Get returns the object under key with its size.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	if !ValidKey(key) {
		return nil, 0, fmt.Errorf("%w: %w: %q", ErrInvalidKey, ErrNotFound, truncate(key))
	}
	obj, err := s.c.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, 0, s.mapErr("get", key, err)
	}
	fi, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		return nil, 0, s.mapErr("get", key, err)
	}
	return obj, fi.Size, nil
}

func (s *S3) mapErr(op, key string, err error) error {
	r := minio.ToErrorResponse(err)
	if r.Code == minio.NoSuchKey || r.StatusCode == http.StatusNotFound && r.Code != minio.NoSuchBucket {
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return fmt.Errorf("filestore: %s %s: %w", op, key, err)
}

// Delete removes the object under key; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrInvalidKey, truncate(key))
	}
	if err := s.c.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		if errors.Is(s.mapErr("delete", key, err), ErrNotFound) {
			return nil
		}
		return fmt.Errorf("filestore: delete %s: %w", key, err)
	}
	return nil
}

// List calls fn for every blob in the bucket (under Prefix), in key order.
// Objects whose names are no keys are skipped.
func (s *S3) List(ctx context.Context, fn func(Blob) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the listing goroutine when fn stops early
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("filestore: list %s: %w", s.bucket, o.Err)
		}
		key := strings.TrimPrefix(o.Key, s.prefix)
		if !ValidKey(key) {
			continue
		}
		if err := fn(Blob{Key: key, Size: o.Size, Modified: o.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Stat returns the blob's size and modification time.
func (s *S3) Stat(ctx context.Context, key string) (Blob, error) {
	if !ValidKey(key) {
		return Blob{}, fmt.Errorf("%w: %w: %q", ErrInvalidKey, ErrNotFound, truncate(key))
	}
	fi, err := s.c.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return Blob{}, s.mapErr("stat", key, err)
	}
	return Blob{Key: key, Size: fi.Size, Modified: fi.LastModified}, nil
}
