package config

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/lotse-oss/lotse/internal/filestore"
)

// Files says where uploaded and generated documents are kept.
type Files struct {
	// Store is "local" (the data folder's files, the default; also "") or
	// "s3".
	Store string
	S3    filestore.S3Config
}

func (f *Flags) registerFiles(fs *flag.FlagSet, getenv func(string) string) {
	c := &f.c.Files
	if c.Store == "" { // the defaults
		c.Store, c.S3.PathStyle = "local", true
	}
	fs.StringVar(&c.Store, "file-store", or(getenv("LOTSE_FILE_STORE"), c.Store),
		"where documents are kept: local (the data folder's files) or s3 (env LOTSE_FILE_STORE)")
	fs.StringVar(&c.S3.Endpoint, "s3-endpoint", or(getenv("LOTSE_S3_ENDPOINT"), c.S3.Endpoint), "S3 server as host[:port] (env LOTSE_S3_ENDPOINT)")
	fs.StringVar(&c.S3.Bucket, "s3-bucket", or(getenv("LOTSE_S3_BUCKET"), c.S3.Bucket), "S3 bucket; it must exist (env LOTSE_S3_BUCKET)")
	fs.StringVar(&c.S3.Region, "s3-region", or(getenv("LOTSE_S3_REGION"), c.S3.Region), "S3 region, if the server wants one (env LOTSE_S3_REGION)")
	fs.StringVar(&c.S3.Prefix, "s3-prefix", or(getenv("LOTSE_S3_PREFIX"), c.S3.Prefix), "prefix of the objects' names in the bucket, e.g. lotse/ (env LOTSE_S3_PREFIX)")
	fs.StringVar(&c.S3.AccessKey, "s3-access-key", or(getenv("LOTSE_S3_ACCESS_KEY"), c.S3.AccessKey), "S3 access key (env LOTSE_S3_ACCESS_KEY; the secret only from LOTSE_S3_SECRET_KEY)")
	c.S3.SecretKey = or(getenv("LOTSE_S3_SECRET_KEY"), c.S3.SecretKey)
	f.bool(fs, &c.S3.PathStyle, "s3-path-style", getenv("LOTSE_S3_PATH_STYLE"), "address the bucket as ENDPOINT/BUCKET rather than BUCKET.ENDPOINT (env LOTSE_S3_PATH_STYLE)")
	tls := !c.S3.Insecure
	f.bool(fs, &tls, "s3-tls", getenv("LOTSE_S3_TLS"), "talk HTTPS to the S3 server; false for plain HTTP inside a trusted network (env LOTSE_S3_TLS)")
	f.after = append(f.after, func() { c.S3.Insecure = !tls })
}

// checkFiles reports settings that cannot work.
func (c *Files) check() error {
	switch c.Store {
	case "local", "":
		return nil
	case "s3":
		var errs []error
		if c.S3.Endpoint == "" {
			errs = append(errs, errors.New("--file-store s3 needs --s3-endpoint (LOTSE_S3_ENDPOINT)"))
		}
		if c.S3.Bucket == "" {
			errs = append(errs, errors.New("--file-store s3 needs --s3-bucket (LOTSE_S3_BUCKET)"))
		}
		if c.S3.AccessKey == "" || c.S3.SecretKey == "" {
			errs = append(errs, errors.New("--file-store s3 needs LOTSE_S3_ACCESS_KEY and LOTSE_S3_SECRET_KEY"))
		}
		return errors.Join(errs...)
	default:
		return fmt.Errorf("--file-store is local or s3, not %q", c.Store)
	}
}

// OpenFiles opens the configured file store and returns it with the
// function that releases it.
func (c *Config) OpenFiles(ctx context.Context) (filestore.Store, io.Closer, error) {
	if err := c.Files.check(); err != nil {
		return nil, nil, err
	}
	if c.Files.Store == "s3" {
		s, err := filestore.NewS3(ctx, c.Files.S3)
		if err != nil {
			return nil, nil, err
		}
		return s, io.NopCloser(nil), nil
	}
	l, err := filestore.NewLocal(c.FilesDir())
	if err != nil {
		return nil, nil, err
	}
	return l, l, nil
}
