package config

import (
	"context"
	"strings"
	"testing"
)

func TestFileStoreSettings(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil || c.Files.Store != "local" || !c.Files.S3.PathStyle || c.Files.S3.Insecure {
		t.Fatalf("defaults: %+v, %v", c.Files, err)
	}
	env := map[string]string{"LOTSE_FILE_STORE": "s3", "LOTSE_S3_ENDPOINT": "s3.example:9000", "LOTSE_S3_BUCKET": "lotse",
		"LOTSE_S3_REGION": "eu-central-1", "LOTSE_S3_ACCESS_KEY": "ak", "LOTSE_S3_SECRET_KEY": "geheim", "LOTSE_S3_TLS": "false",
		"LOTSE_S3_PATH_STYLE": "false", "LOTSE_S3_PREFIX": "lotse/"}
	c, err = parse(t, env)
	s := c.Files.S3
	if err != nil || c.Files.Store != "s3" || s.Endpoint != "s3.example:9000" || s.Bucket != "lotse" || s.Region != "eu-central-1" ||
		s.AccessKey != "ak" || s.SecretKey != "geheim" || !s.Insecure || s.PathStyle || s.Prefix != "lotse/" {
		t.Fatalf("from the environment: %+v, %v", c.Files, err)
	}
	if c, _ = parse(t, env, "--s3-tls=true", "--s3-bucket", "andere"); c.Files.S3.Insecure || c.Files.S3.Bucket != "andere" {
		t.Fatalf("flags over the environment: %+v", c.Files)
	}
	// Incomplete or unknown settings are refused when the store is opened.
	c, _ = parse(t, map[string]string{"LOTSE_FILE_STORE": "s3"})
	if _, _, err := c.OpenFiles(context.Background()); err == nil || !strings.Contains(err.Error(), "--s3-endpoint") || !strings.Contains(err.Error(), "LOTSE_S3_SECRET_KEY") {
		t.Fatalf("incomplete S3 settings: %v", err)
	}
	c, _ = parse(t, map[string]string{"LOTSE_FILE_STORE": "ftp"})
	if _, _, err := c.OpenFiles(context.Background()); err == nil || !strings.Contains(err.Error(), "local or s3") {
		t.Fatalf("unknown store: %v", err)
	}
	c, _ = parse(t, map[string]string{"LOTSE_FILE_STORE": "s3", "LOTSE_S3_ENDPOINT": "https://s3.example", "LOTSE_S3_BUCKET": "b",
		"LOTSE_S3_ACCESS_KEY": "a", "LOTSE_S3_SECRET_KEY": "s"})
	if _, _, err := c.OpenFiles(context.Background()); err == nil || !strings.Contains(err.Error(), "without https://") {
		t.Fatalf("endpoint with scheme: %v", err)
	}
}

func TestBrandingSettings(t *testing.T) {
	env := map[string]string{"LOTSE_BRAND_NAME": "KommunalCampus", "LOTSE_BRAND_TAGLINE": "Lernen", "LOTSE_BRAND_LOGO": "/etc/lotse/logo.png",
		"LOTSE_BRAND_COLORS": "action-default=#00507a"}
	c, err := parse(t, env, "--brand-name", "Campus")
	if err != nil || c.Branding != (Branding{Name: "Campus", Tagline: "Lernen", Logo: "/etc/lotse/logo.png", Colors: "action-default=#00507a"}) {
		t.Fatalf("branding: %+v, %v", c.Branding, err)
	}
}
