// The Go v2 oracle: config.LoadDefaultConfig and the credentials provider it resolves, offline.
//
// Reads one JSON object per line on stdin, {"dir", "env", "profile"}: dir holds the
// scenario's files (dir/home is HOME), env is the complete process environment, profile the
// profile named in code (config.WithSharedConfigProfile). Writes one JSON line per scenario:
// {"provider": aws.Credentials.Source|null, "access_key": redacted|null, "error": the error's
// Go type|null, "message", "calls": [...]}; error is the type of the error LoadDefaultConfig
// returns, or of the error Retrieve returns (then "stage" is "retrieve").
//
// Nothing leaves the process: every HTTP client the SDK is given (and http.DefaultTransport)
// records the request in calls (host, path and the STS Action) and fails it at once, with
// one attempt per request. credential_process runs `sh -c COMMAND` as the SDK does;
// scripts/setup-oracles.sh names in CREDLINT_ORACLE_FAKE_BIN a folder whose `sh` prints
// stand-in credentials instead of running anything, and PATH is that folder in every
// scenario (no SDK reads PATH for credentials).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

const standIn = "STANDINKEYNOTREAL0000"

type refuse struct{ calls *[]string }

func (r refuse) RoundTrip(req *http.Request) (*http.Response, error) {
	where := req.URL.Scheme + "://" + req.URL.Host + req.URL.Path
	if req.Body != nil {
		body, _ := io.ReadAll(req.Body)
		if q, err := url.ParseQuery(string(body)); err == nil && q.Get("Action") != "" {
			where += " Action=" + q.Get("Action")
		}
	}
	*r.calls = append(*r.calls, where)
	return nil, errors.New("the credlint oracle refuses every connection")
}

func (r refuse) Do(req *http.Request) (*http.Response, error) {
	return (&http.Client{Transport: r}).Do(req)
}

func redact(key string) string {
	r := []rune(key)
	if len(r) >= 12 {
		return string(r[:4]) + "****" + string(r[len(r)-4:])
	}
	return "****"
}

// errorClass names the first error in the chain whose type the SDK declares (fmt's and the
// errors package's wrappers are skipped), and lists the whole chain's types.
func errorClass(err error) (string, []string) {
	class, chain := "", []string{}
	for e := err; e != nil; e = errors.Unwrap(e) {
		t := reflect.TypeOf(e)
		for t.Kind() == reflect.Ptr {
			t = t.Elem()
		}
		name := t.PkgPath() + "." + t.Name()
		chain = append(chain, name)
		if class == "" && t.PkgPath() != "fmt" && t.PkgPath() != "errors" {
			class = t.Name()
		}
	}
	if class == "" {
		class = "error"
	}
	return class, chain
}

type scenario struct {
	Dir     string            `json:"dir"`
	Env     map[string]string `json:"env"`
	Profile *string           `json:"profile"`
}

func run(s scenario, path string) map[string]interface{} {
	calls := []string{}
	out := map[string]interface{}{"provider": nil, "access_key": nil, "error": nil, "message": nil}
	os.Clearenv()
	for k, v := range s.Env {
		os.Setenv(k, v)
	}
	os.Setenv("PATH", path)
	if err := os.Chdir(s.Dir); err != nil {
		out["error"], out["message"] = "OracleSetup", err.Error()
		return out
	}
	// The default file lists are package variables computed from HOME at start-up; a fresh
	// process per scenario would compute them from the scenario's HOME, as this does.
	config.DefaultSharedConfigFiles = []string{config.DefaultSharedConfigFilename()}
	config.DefaultSharedCredentialsFiles = []string{config.DefaultSharedCredentialsFilename()}
	client := refuse{&calls}
	http.DefaultTransport = client
	opts := []func(*config.LoadOptions) error{
		// a region when the scenario names none, as an application would give one: without it
		// STS fails with MissingRegionError before any request
		config.WithDefaultRegion("us-east-1"),
		config.WithHTTPClient(client),
		// one attempt per request (clients built from the config, IMDS and endpointcreds
		// included): the first refused call decides the verdict, retries only cost time
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
		config.WithEndpointCredentialOptions(func(o *endpointcreds.Options) { o.HTTPClient = client }),
	}
	if s.Profile != nil {
		opts = append(opts, config.WithSharedConfigProfile(*s.Profile))
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err == nil && cfg.Credentials == nil {
		err = errors.New("no credentials provider")
	}
	if err != nil {
		out["error"], out["chain"] = errorClass(err)
		out["message"], out["stage"] = err.Error(), "load"
	} else if creds, rerr := cfg.Credentials.Retrieve(ctx); rerr != nil {
		out["error"], out["chain"] = errorClass(rerr)
		out["message"], out["stage"] = rerr.Error(), "retrieve"
	} else {
		out["provider"] = strings.SplitN(creds.Source, ":", 2)[0]
		if creds.AccessKeyID != standIn {
			out["access_key"] = redact(creds.AccessKeyID)
		}
	}
	out["calls"] = calls
	return out
}

func main() {
	// The folder of the `sh` stand-in (see scripts/setup-oracles.sh): required, so that no
	// command found in a scenario can ever run.
	path := os.Getenv("CREDLINT_ORACLE_FAKE_BIN")
	if path == "" {
		fmt.Fprintln(os.Stderr, "CREDLINT_ORACLE_FAKE_BIN is not set")
		os.Exit(2)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		var s scenario
		var out map[string]interface{}
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			out = map[string]interface{}{"error": "OracleSetup", "message": err.Error()}
		} else {
			out = run(s, path)
		}
		b, _ := json.Marshal(out)
		fmt.Fprintln(w, string(b))
		w.Flush()
	}
}
