// Command lotse runs the Lotse platform. See 'lotse --help'.
package main

import (
	"context"
	"os"

	"github.com/lotse-oss/lotse/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), cli.OSEnv(), os.Args[1:]))
}
