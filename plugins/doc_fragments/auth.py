# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesys.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # The modules and the lookups share these options (ansible-test wants literal strings here).
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The Genesys Cloud region of the org, as an AWS region name.
      - Selects the API base C(https://api.<domain>) and the login base C(https://login.<domain>).
      - If not set, the value of the E(GENESYSCLOUD_REGION) environment variable is used.
    type: str
    default: us-east-1
    choices:
      - ap-northeast-1
      - ap-northeast-2
      - ap-northeast-3
      - ap-south-1
      - ap-southeast-1
      - ap-southeast-2
      - ca-central-1
      - eu-central-1
      - eu-central-2
      - eu-west-1
      - eu-west-2
      - eusc-de-east-1
      - me-central-1
      - mx-central-1
      - sa-east-1
      - us-east-1
      - us-east-2
      - us-west-2
  api_url:
    description:
      - Overrides the API base URL that O(region) selects, for example C(http://127.0.0.1:8642) for a local test server
        such as the emulator of the source repository.
      - When only O(api_url) is set, tokens are requested from the same base.
      - Plain C(http) is refused except to a loopback address.
      - Give the base URL only; a URL ending in C(/api/v2), or holding credentials (C(user:password@)), is refused.
      - If not set, the value of the E(GENESYSCLOUD_API_URL) environment variable is used.
    type: str
  auth_url:
    description:
      - Overrides the login base URL that tokens are requested from.
      - If not set, the value of the E(GENESYSCLOUD_AUTH_URL) environment variable is used.
    type: str
  client_id:
    description:
      - The OAuth client id of a client-credentials grant.
      - If not set, the value of the E(GENESYSCLOUD_OAUTHCLIENT_ID) environment variable is used.
      - Required with O(client_secret) unless O(access_token) is set.
    type: str
  client_secret:
    description:
      - The OAuth client secret of the client-credentials grant.
      - If not set, the value of the E(GENESYSCLOUD_OAUTHCLIENT_SECRET) environment variable is used.
    type: str
  access_token:
    description:
      - A bearer token to use instead of client credentials. It is not refreshed, so a 401 is final.
      - If not set, the value of the E(GENESYSCLOUD_ACCESS_TOKEN) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Only turn this off for a test server.
      - V(false) is applied to every request, even when E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is set
        (with V(true) those name the CA bundle used, for example one that holds a company proxy's CA).
      - A TLS failure is not retried; the error gives its reason.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the server's answer on each request (the read timeout). Must be a finite number greater
        than 0.
    type: float
    default: 30
  connect_timeout:
    description:
      - Seconds to wait for a connection to the API or login host (or to the proxy) to be made. Must be a finite
        number greater than 0.
      - A connection that cannot be made is retried only while the time spent stays under 1.5 times this value (a
        host name that does not resolve is not retried), so an unreachable API fails in seconds; the message names
        the URL, host and port, the proxy used if any, and what to check (O(region), O(api_url), proxy variables).
    type: float
    default: 5
    version_added: 0.2.0
  max_retries:
    description:
      - How many times a request is retried after a 429, 502, 503, 504 or a dropped connection.
      - Waits grow exponentially with jitter and never undercut the server's C(Retry-After).
      - V(0) or more; V(0) sends each request once.
    type: int
    default: 5
  token_pool_size:
    description:
      - How many OAuth tokens of the same client serve the requests of a task (a whole-org run, a records load).
        Each token has its own rate limit (300 requests a minute for client credentials), so a pool of N tokens
        allows N times the requests a minute, and parallel reads and writes are sized by it.
      - Requests go to the lowest-numbered token that has budget left, each token paced by its own rate-limit
        headers; a task that needs fewer requests than one token allows takes one token. A 401 on one token renews
        only that one. The tokens are taken once per run and shared by its tasks and lookups.
      - A pool multiplies what this client may cost the org; the org's own limits still apply. It helps only runs
        that are held back by the rate limit (large first loads, changes to many records); the Troubleshooting guide
        (rate limits and pools of tokens) says how to choose its size.
      - With more than one token, the task's C(metrics) gain C(tokens), the requests, 429s and re-authentications
        of each token.
      - From V(1) to V(20). Ignored with O(access_token) (one fixed token).
      - If not set, the value of the E(GENESYSCLOUD_TOKEN_POOL_SIZE) environment variable is used.
    type: int
    default: 1
    version_added: 0.2.0
notes:
  - Requests that may be replayed safely are retried; a create that failed in transit is looked up
    before it is sent again, so a retry never creates a second object.
  - The client reads the C(inin-ratelimit-*) headers of each token and admits a request only while the window has
    room for it, so parallel requests never race for the last one.
  - Modules support C(module_defaults) through the action group C(group/genesys.cloud.all). Lookups take the
    same options as keyword arguments, with the same environment fallbacks, read on the controller.
  - Where each connection option comes from, for every task, lookup and whole-org run alike, first found wins - the
    task's own options, C(module_defaults), the task's C(environment:), the controller's environment (an empty
    variable counts as unset). Client credentials on the task win over an O(access_token) from a lower place;
    O(client_id)/O(client_secret) and O(access_token) both on the task (or both in C(module_defaults)) is an error.
  - HTTPS proxies are used as the E(HTTPS_PROXY), E(HTTP_PROXY), E(ALL_PROXY) and E(NO_PROXY) environment variables
    say (C(https) URLs go through a C(CONNECT) tunnel); the task's C(environment:) may set them.
  - With C(-vvv), the task variable C(genesys_trace=true) or E(GENESYSCLOUD_TRACE=true), every request is shown
    (method, path with query, status, attempt, wait, milliseconds, correlation id; never a body, header, token
    or secret; record ids only at C(-vvvv)). See docs/troubleshooting.md.
requirements:
  - requests
"""
