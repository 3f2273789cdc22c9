// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The help table: for every command and subcommand, its summary, usage, options (each with its
// unit, range and default) and one example. docs/cli.md says the same at length; a command's
// parser (its CommandSpec) must accept exactly the options listed here, which `--help` checks.

#include "help.hpp"

namespace wechatpay::cli {
namespace {

// The options `watch` and `checkout` share (watch_session.hpp).
OptionHelp const kInterval{"interval", "SECONDS",
                           "seconds between two queries (fractions allowed, at most 3600); "
                           "default 2"};
OptionHelp const kWatchTimeout{"watch-timeout", "SECONDS",
                               "how long to wait for a final trade state, in seconds (at most "
                               "86400); default 600. Not the request timeout: that is the global "
                               "--timeout"};
OptionHelp const kProgressInterval{"progress-interval", "SECONDS",
                                   "seconds between two progress lines on stderr (state, time "
                                   "left; at most 3600); default 5"};
OptionHelp const kQuiet{"quiet", "",
                        "no progress, event or final lines on stderr (errors and warnings still "
                        "appear)"};
OptionHelp const kLedger{"ledger", "URL",
                         "the payment ledger: a SQLite file (sqlite:PATH, or a PATH ending in "
                         ".db, .sqlite, .sqlite3) or postgresql://...; default: the "
                         "configuration's ledger (WECHATPAY_LEDGER)"};
OptionHelp const kJson{"json", "", "print one JSON document instead of lines"};
OptionHelp const kNotifyUrl{"notify-url", "URL",
                            "callback URL for this request; default the configuration's "
                            "notifyUrl (https, or http to loopback)"};
OptionHelp const kPlatformCertificates{
    "platform-certificates", "FILE|DIR",
    "verify with these platform certificates (a PEM file or a folder of *.pem), offline; turns "
    "keyMode public-key into both"};
OptionHelp const kNow{"now", "SECONDS",
                      "the clock of the 300-second timestamp check, in seconds since the epoch; "
                      "default now"};
OptionHelp const kBillDate{"date", "YYYY-MM-DD",
                           "the bill's day, a Beijing (UTC+8) date: yesterday at the latest, three "
                           "calendar months back at the earliest (required)"};
OptionHelp const kBillGzip{"gzip", "",
                           "transfer the bill gzip-compressed (tar_type GZIP); what is written is "
                           "always the decompressed CSV"};
OptionHelp const kBillOutput{"output", "FILE",
                             "write the CSV to FILE (created only once the digest matched); "
                             "default stdout, after the check"};
OptionHelp const kBody{"body", "TEXT", "the body, exact bytes; default empty"};
OptionHelp const kBodyFile{"body-file", "FILE", "read the body from FILE, byte for byte"};

std::vector<CommandHelp> MakeTable() {
  return {
      // The tool itself: `wechatpay --help` (summary, global options, exit codes, example).
      {"",
       "WeChat Pay API v3 Native payments from the command line: sign and verify by hand, check "
       "captured callbacks, place and follow orders, run the sandbox",
       "COMMAND [OPTIONS]",
       "Exit codes: 0 success, 1 service error or unpaid order, 2 bad usage/input/configuration "
       "(nothing sent), 3 verification failed, 4 transport failure, 5 not authorized by the "
       "CloudBase gateway, 6 outcome unknown (query before retrying), 130 interrupted (SIGINT).\n\n"
       "Run 'wechatpay help COMMAND' (or 'wechatpay COMMAND --help') for a command's options, "
       "'wechatpay version' for the versions and components of this build.",
       {{"config", "FILE",
         "JSON configuration (appId, merchantId, apiV3Key, merchantSerialNumber, privateKey, "
         "wxPayPublicKey, wxPayPublicKeyId, notifyUrl, baseUrl, caFile, ledger, proxy, ...); "
         "WECHATPAY_* environment variables override it (WECHATPAY_APP_ID, ..., "
         "WECHATPAY_LEDGER: the payment ledger of the ledger, reconcile, checkout and demo "
         "commands, sqlite:PATH, PATH.db or postgresql://...)"},
        {"timeout", "SECONDS",
         "bound of a whole request, retries included, in seconds (fractions allowed, up to "
         "3600); default the configuration's timeoutMs (30 s)"},
        {"proxy", "URL",
         "the proxy every call goes through, http://[user:password@]host:port (also https://, "
         "socks5://, socks5h://); overrides the configuration's proxy and WECHATPAY_PROXY; "
         "never printed"},
        {"verbose", "",
         "request line, status and Request-ID of every call to stderr (never a secret)"},
        {"json-errors", "", "each error as one JSON object on stderr instead of an error: line"}},
       "wechatpay --config cfg.json query --out-trade-no A20261207001"},
      {"help",
       "print the help of the tool, a command or a subcommand",
       "help [COMMAND [SUBCOMMAND]]",
       "The same text as 'wechatpay COMMAND [SUBCOMMAND] --help'; without a command, the list of "
       "commands. An unknown command exits 2.",
       {},
       "wechatpay help ledger list"},
      {"version",
       "print the versions and the components of this build",
       "version",
       "Prints 'wechatpay VERSION' (the library's), then the OpenSSL and libcurl the library runs "
       "with and which optional components this build has: qr, sandbox, ledger, postgres. "
       "'wechatpay --version' prints the same.",
       {},
       "wechatpay version"},
      {"sign",
       "print the Authorization header of a request",
       "sign --method METHOD --url PATH_AND_QUERY|URL [--body TEXT | --body-file FILE] "
       "[--timestamp SECONDS] [--nonce TEXT]",
       "Prints the WECHATPAY2-SHA256-RSA2048 Authorization value (one line), signed with "
       "merchantId, merchantSerialNumber and privateKey of the configuration.",
       {{"method", "METHOD", "GET, POST, PUT, PATCH or DELETE, in capitals as sent (required)"},
        {"url", "PATH_AND_QUERY|URL",
         "the request target (/v3/..., the query as sent) or a full https:// URL whose path and "
         "query are signed (required)"},
        kBody,
        kBodyFile,
        {"timestamp", "SECONDS",
         "the signature's timestamp, in seconds since the epoch; default now"},
        {"nonce", "TEXT", "the signature's nonce; default a fresh random one"}},
       "wechatpay --config cfg.json sign --method GET --url "
       "'/v3/pay/transactions/out-trade-no/A20261207001?mchid=1900000001'"},
      {"verify",
       "check a response or notification signature",
       "verify --timestamp T --nonce N --signature S --serial SERIAL [--body TEXT | --body-file "
       "FILE] [--now SECONDS] [--platform-certificates FILE|DIR]",
       "Checks the signature over 'T\\nN\\nBODY\\n' with the configured key whose id or serial is "
       "SERIAL; prints ok, or exits 3.",
       {{"timestamp", "T", "Wechatpay-Timestamp, in seconds since the epoch (required)"},
        {"nonce", "N", "Wechatpay-Nonce (required)"},
        {"signature", "S", "Wechatpay-Signature, Base64 (required)"},
        {"serial", "SERIAL",
         "Wechatpay-Serial: the public key id or a platform certificate serial "
         "(required)"},
        kBody,
        kBodyFile,
        kNow,
        kPlatformCertificates},
       "wechatpay --config cfg.json verify --timestamp 1765080000 --nonce n0nce --signature "
       "BASE64 --serial PUB_KEY_ID_0114232134912410000000000000 --body-file body.json"},
      {"decrypt",
       "decrypt an AEAD_AES_256_GCM resource with the APIv3 key",
       "decrypt --nonce N --associated-data AD --ciphertext BASE64",
       "Prints exactly the plaintext bytes; exits 3 when the ciphertext does not authenticate, 2 "
       "for a nonce that is not 12 characters or a ciphertext that is not Base64.",
       {{"nonce", "N", "the resource's nonce, 12 characters (required)"},
        {"associated-data", "AD", "the resource's associated_data; \"\" allowed but required"},
        {"ciphertext", "BASE64",
         "the resource's ciphertext, Base64 with the 16-byte tag (required)"}},
       "wechatpay --config cfg.json decrypt --nonce 5K8264ILTKCH --associated-data transaction "
       "--ciphertext BASE64"},
      {"notify",
       "verify and decrypt a captured callback",
       "notify --headers-file FILE --body-file FILE [--now SECONDS] [--platform-certificates "
       "FILE|DIR]",
       "Prints {id, create_time, event_type, resource_type, summary, resource}; exit 3 for any "
       "verification, decryption or envelope failure.",
       {{"headers-file", "FILE", "the callback's headers, 'Name: value' lines (required)"},
        {"body-file", "FILE", "the callback's body, read byte for byte (required)"},
        kNow,
        kPlatformCertificates},
       "wechatpay --config cfg.json notify --headers-file headers.txt --body-file body.json"},
      {"certificates",
       "download, verify and print the platform certificates",
       "certificates [--output-dir DIR]",
       "Downloads GET /v3/certificates with the merchant's credentials, checks every certificate "
       "and the answer's signature, and prints {certificates:[...], newest}.",
       {{"output-dir", "DIR",
         "also write each certificate as DIR/SERIAL.pem (DIR created when missing)"}},
       "wechatpay --config cfg.json certificates --output-dir platform-certs"},
      {"order",
       "create a Native order and print its code_url",
       "order --out-trade-no X --description D --total FEN [--currency CNY] [--time-expire "
       "RFC3339] [--attach TEXT] [--goods-tag TAG] [--notify-url URL] [--use-service-account]",
       "Prints {\"code_url\":\"...\"}. appid, mchid and notify_url come from the configuration; "
       "every field is checked before anything is sent (exit 2 naming it).",
       {{"out-trade-no", "X", "the merchant's order number, 6 to 32 of [0-9A-Za-z_-|*] (required)"},
        {"description", "D", "what is bought, shown to the payer, at most 127 bytes (required)"},
        {"total", "FEN", "the amount in fen (1 CNY = 100 fen), a whole number >= 1 (required)"},
        {"currency", "CNY", "the currency; default CNY (the only one of Native payments)"},
        {"time-expire", "RFC3339",
         "when the order stops being payable, e.g. "
         "2026-12-07T18:00:00+08:00; default WeChat's 2 hours"},
        {"attach", "TEXT", "merchant data returned in queries and callbacks, at most 128 bytes"},
        {"goods-tag", "TAG", "the goods tag of a coupon campaign"},
        kNotifyUrl,
        {"use-service-account", "",
         "ask pay-common for its service-account AppID (gateway mode only)"}},
       "wechatpay --config cfg.json order --out-trade-no A20261207001 --description Cola --total "
       "300"},
      {"query",
       "query an order by out_trade_no or transaction_id",
       "query (--out-trade-no X | --transaction-id Y)",
       "Prints the transaction as WeChat sent it; exit 1 with ORDER_NOT_EXIST for an unknown "
       "order.",
       {{"out-trade-no", "X", "the merchant's order number (this or --transaction-id)"},
        {"transaction-id", "Y", "WeChat's transaction id (this or --out-trade-no)"}},
       "wechatpay --config cfg.json query --out-trade-no A20261207001"},
      {"close",
       "close an unpaid order",
       "close --out-trade-no X",
       "Prints {}.",
       {{"out-trade-no", "X", "the merchant's order number (required)"}},
       "wechatpay --config cfg.json close --out-trade-no A20261207001"},
      {"refund",
       "refund an order",
       "refund (--out-trade-no X | --transaction-id Y) --out-refund-no R --refund FEN --total FEN "
       "[--currency CNY] [--reason TEXT] [--notify-url URL]",
       "Prints the refund object. The same --out-refund-no returns the same refund: retry with "
       "identical parameters only.",
       {{"out-trade-no", "X", "the order's number (this or --transaction-id)"},
        {"transaction-id", "Y", "WeChat's transaction id (this or --out-trade-no)"},
        {"out-refund-no", "R",
         "the merchant's refund number, 1 to 64 of [0-9A-Za-z_-|*@] (required)"},
        {"refund", "FEN",
         "the amount to refund in fen (1 CNY = 100 fen), at most what is left "
         "(required)"},
        {"total", "FEN", "the order's whole amount in fen, as ordered (required)"},
        {"currency", "CNY", "the currency; default CNY"},
        {"reason", "TEXT", "the reason shown to the payer, at most 80 bytes"},
        kNotifyUrl},
       "wechatpay --config cfg.json refund --out-trade-no A20261207001 --out-refund-no "
       "R20261207001 --refund 100 --total 300"},
      {"refund abnormal",
       "pay out a refund WeChat reported ABNORMAL",
       "refund abnormal --refund-id ID --out-refund-no R --type T [--bank-type B "
       "--bank-account-file F --real-name-file F]",
       "POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund, for a refund the "
       "original account could not take back. Prints the refund (PROCESSING); the result comes as "
       "a REFUND.SUCCESS callback or with refund-query. The card number and the name are read "
       "from files or stdin, never from the command line where other users and the shell history "
       "would see them; they are encrypted with the WeChat Pay key the request names in "
       "Wechatpay-Serial and appear in no output, log line or error.",
       {{"refund-id", "ID", "WeChat's refund id (refund_id of the refund's answer or callback)"},
        {"out-refund-no", "R", "the merchant refund number of the same refund (required)"},
        {"type", "T",
         "USER_BANK_CARD: to a bank card of the payer (needs the three options below); "
         "MERCHANT_BANK_CARD: to the merchant's bank account (none of them)"},
        {"bank-type", "B", "the payer's bank as WeChat's bank type list names it, e.g. ICBC_DEBIT"},
        {"bank-account-file", "F",
         "a file holding the payer's card number (digits; one trailing newline is ignored), or - "
         "for stdin"},
        {"real-name-file", "F",
         "a file holding the card holder's name (UTF-8; one trailing newline is ignored), or - "
         "for stdin (not both from stdin)"}},
       "wechatpay refund abnormal --refund-id 50000000382019052709732678859 --out-refund-no "
       "RF20261207001 --type MERCHANT_BANK_CARD"},
      {"refund-query",
       "query a refund",
       "refund-query --out-refund-no R",
       "Prints the refund object.",
       {{"out-refund-no", "R", "the merchant's refund number (required)"}},
       "wechatpay --config cfg.json refund-query --out-refund-no R20261207001"},
      {"sandbox",
       "run the local WeChat Pay v3 + CloudBase emulator",
       "sandbox [--listen 127.0.0.1:PORT] [--plain-http] [--state-dir DIR] [--write-config FILE] "
       "[--write-gateway-config FILE] [--gateway-token-ttl SECONDS] [--time-scale X] [--key-mode "
       "public-key|certificate|both] [--certificate-share X] [--bill-ready-hour H] "
       "[--bill-url-lifetime SECONDS] [--log-requests]",
       "Runs on loopback until SIGINT or SIGTERM, then exits 0; the first stdout line is "
       "'listening on URL'. Control API (JSON) under URL/sandbox/v1/: POST tokens, POST "
       "orders/NO/scan|pay|fail, GET orders/NO, POST refunds/NO/abnormal|close, POST "
       "refunds/not-enough, POST|GET|DELETE faults, GET|DELETE stats, GET notify-sink, GET "
       "certificates, POST certificates/rotate|share. See docs/sandbox.md.",
       {{"listen", "HOST:PORT",
         "loopback address (127.0.0.1, localhost or [::1]); port 0 picks a free one (with "
         "--state-dir: the port of the last start when it is free); default 127.0.0.1:0"},
        {"plain-http", "", "serve http:// instead of https:// with the generated CA"},
        {"state-dir", "DIR",
         "keep the identity, keys, CA, orders, tokens and port in DIR and reload them on the next "
         "start (when the port is taken: a new one, and the configuration files written for DIR "
         "are rewritten); default a temporary folder removed at exit"},
        {"write-config", "FILE",
         "write a direct API v3 client configuration for 'wechatpay "
         "--config FILE ...' (owner-only permissions)"},
        {"write-gateway-config", "FILE",
         "write the same with a CloudBase gateway object and a fresh access token, written again "
         "with a new token at half its lifetime while the sandbox runs"},
        {"gateway-token-ttl", "SECONDS",
         "lifetime of that token in whole seconds, 2 to 604800; "
         "default 7200 (CloudBase's)"},
        {"time-scale", "X",
         "multiply every WeChat-side duration (callback retries, code_url "
         "validity, refund processing) by X > 0; default 1"},
        {"key-mode", "MODE",
         "what signs answers and callbacks: public-key (default), certificate "
         "or both; kept in the state folder"},
        {"certificate-share", "X",
         "in both mode, the share 0 to 1 signed with the certificate; "
         "default 0.5; kept in the state folder"},
        {"bill-ready-hour", "H",
         "a day's bills exist from hour H (0 to 23, Beijing time) of the next day, before that "
         "400 STATEMENT_CREATING; default 10"},
        {"bill-url-lifetime", "SECONDS",
         "how long a bill download URL is valid, in seconds (1 to 86400); default 30"},
        {"log-requests", "",
         "one line per request on stderr: method, path (query values masked), status and, for a "
         "refused request, why (the signature check or the field that failed)"}},
       "wechatpay sandbox --listen 127.0.0.1:0 --state-dir sandbox-state --write-config cfg.json"},
      {"qr",
       "render a text (code_url) byte for byte as a QR code",
       "qr (--text TEXT | --text-file FILE) [--strip-newline] [--format terminal|svg|png] "
       "[--output FILE] [--ec-level L|M|Q|H] [--size PIXELS_PER_MODULE] [--quiet-zone MODULES] "
       "[--terminal-colors light-on-dark|dark-on-light]",
       "Never trims or re-encodes the text. A text ending with a newline is encoded with it, with "
       "a warning on stderr. Needs the tool built with QR support.",
       {{"text", "TEXT", "the text to encode (this or --text-file)"},
        {"text-file", "FILE", "read the text from FILE, '-' for stdin; at most 64 KiB"},
        {"strip-newline", "", "drop exactly one trailing line ending (\\n or \\r\\n) first"},
        {"format", "FORMAT", "terminal (default), svg or png"},
        {"output", "FILE", "write to FILE instead of stdout; required for png"},
        {"ec-level", "LEVEL", "error correction L, M, Q or H; default M"},
        {"size", "PIXELS", "pixels per module of svg and png; default 8"},
        {"quiet-zone", "MODULES", "width of the empty border, in modules; default 4"},
        {"terminal-colors", "COLORS",
         "light-on-dark (default, for a dark terminal) or "
         "dark-on-light"}},
       "wechatpay qr --text 'weixin://wxpay/bizpayurl?pr=abc1234' --format png --output pay.png"},
      {"watch",
       "wait for an order's terminal trade state",
       "watch --out-trade-no X [--interval SECONDS] [--watch-timeout SECONDS] [--close-on-timeout] "
       "[--progress-interval SECONDS] [--quiet]",
       "Queries until the trade state is final (SUCCESS, REFUND, CLOSED, REVOKED, PAYERROR) and "
       "prints the transaction; an unknown order ends at once with ORDER_NOT_EXIST. Exit 0 when "
       "paid, 1 otherwise, 130 on Ctrl-C (SIGINT).",
       {{"out-trade-no", "X", "the order to follow (required)"},
        kInterval,
        kWatchTimeout,
        {"close-on-timeout", "",
         "close the order when --watch-timeout passes or on Ctrl-C "
         "(default: leave it open)"},
        kProgressInterval,
        kQuiet},
       "wechatpay --config cfg.json watch --out-trade-no A20261207001 --watch-timeout 300 "
       "--close-on-timeout"},
      {"checkout",
       "order, show the QR code, wait for the payment",
       "checkout --description D --total FEN [--out-trade-no X] [--interval SECONDS] "
       "[--watch-timeout SECONDS] [--progress-interval SECONDS] [--quiet] [--attach TEXT] "
       "[--goods-tag TAG] [--notify-url URL] [--time-expire RFC3339] [--use-service-account] "
       "[--ledger URL]",
       "Orders, shows the QR code on stderr, waits like watch and closes the order when "
       "--watch-timeout passes or on Ctrl-C (exit 130). stdout gets the final transaction. Exit "
       "0 when paid, 1 when the order ended otherwise. With the ledger, the order, its queries and "
       "its close are recorded (default $XDG_DATA_HOME/wechatpay/ledger.db).",
       {{"description", "D", "what is bought, at most 127 bytes (required)"},
        {"total", "FEN", "the amount in fen (1 CNY = 100 fen), a whole number >= 1 (required)"},
        {"out-trade-no", "X",
         "the order number; default generated from the time and random "
         "characters"},
        kInterval,
        kWatchTimeout,
        kProgressInterval,
        kQuiet,
        {"attach", "TEXT", "merchant data returned in queries and callbacks, at most 128 bytes"},
        {"goods-tag", "TAG", "the goods tag of a coupon campaign"},
        kNotifyUrl,
        {"time-expire", "RFC3339", "when the order stops being payable; default WeChat's 2 hours"},
        {"use-service-account", "",
         "ask pay-common for its service-account AppID (gateway mode only)"},
        kLedger},
       "wechatpay --config cfg.json checkout --description Cola --total 300 --watch-timeout 120"},
      {"bill",
       "download a day's trade or fund-flow bill, digest-checked",
       "bill trade|fundflow [OPTIONS]",
       "Downloads a day's trade bill (GET /v3/bill/tradebill) or fund-flow bill (GET "
       "/v3/bill/fundflowbill) and checks its SHA-1 against the signed answer before any of it is "
       "written out. The day is a Beijing (UTC+8) date: yesterday at the latest, three calendar "
       "months back at the earliest; a day's bill exists from about 10:00 Beijing time the next "
       "day. Amounts in the CSV are in yuan, as WeChat writes them. Exit codes: 1 "
       "NO_STATEMENT_EXIST (no bill for that day), 3 the digest or a signature did not match, 4 "
       "not yet (STATEMENT_CREATING: try after 10:00 Beijing time the next day) or transport.",
       {},
       "wechatpay --config cfg.json bill trade --date 2026-12-06 --gzip --output trade.csv"},
      {"bill trade",
       "a day's trade bill",
       "bill trade --date YYYY-MM-DD [--type TYPE] [--gzip] [--output FILE]",
       "The CSV of WeChat's trade bill, written only once its digest matched.",
       {kBillDate,
        {"type", "TYPE",
         "ALL (default), SUCCESS, REFUND, RECHARGE_REFUND, ALL_SPECIAL, SUC_SPECIAL or "
         "REF_SPECIAL"},
        kBillGzip,
        kBillOutput},
       "wechatpay --config cfg.json bill trade --date 2026-12-06 --type SUCCESS --output t.csv"},
      {"bill fundflow",
       "a day's fund-flow bill",
       "bill fundflow --date YYYY-MM-DD [--account-type TYPE] [--gzip] [--output FILE]",
       "The CSV of WeChat's fund-flow bill, written only once its digest matched.",
       {kBillDate,
        {"account-type", "TYPE", "BASIC (default), OPERATION or FEES"},
        kBillGzip,
        kBillOutput},
       "wechatpay --config cfg.json bill fundflow --date 2026-12-06 --account-type BASIC"},
      {"request",
       "call any API v3 endpoint, signed and verified",
       "request METHOD PATH [--body JSON | --body-file FILE]",
       "For the APIs that have no command: METHOD is GET, POST, PUT, PATCH or DELETE (GET a "
       "read; the others writes, never repeated after a failure that may have reached WeChat: "
       "exit 6 when the outcome is unknown); PATH starts with /v3/ and carries its query "
       "percent-encoded, as it is signed. The answer is verified; its body goes to stdout as "
       "received, 'HTTP STATUS Request-ID ID' to stderr. Direct backend only.",
       {{"body", "JSON", "the request body: one JSON object or array (none for GET and DELETE)"},
        kBodyFile},
       "wechatpay --config cfg.json request GET "
       "\"/v3/pay/transactions/out-trade-no/A20261207001?mchid=1900007291\""},
      {"ledger",
       "list the ledger's orders, show one with its history",
       "ledger list|show [OPTIONS]",
       "The payment ledger (docs/ledger.md); only in builds with wechatpay::ledger.",
       {},
       "wechatpay --config cfg.json ledger list --state PAID"},
      {"ledger list",
       "list orders, newest first",
       "ledger list [--ledger URL] [--state STATE] [--review] [--limit N] [--json]",
       "One line per order: OUT_TRADE_NO STATE TOTAL CURRENCY CREATED, then outcome-unknown and "
       "REVIEW: reason when they apply.",
       {kLedger,
        {"state", "STATE",
         "only orders in STATE: CREATING, NOT_PAID, PAID, CLOSED, REVOKED, "
         "PAY_ERROR or CREATE_FAILED"},
        {"review", "", "only orders flagged for review"},
        {"limit", "N", "at most N orders, 1 to 10000; default 50"},
        kJson},
       "wechatpay ledger list --ledger ledger.db --state NOT_PAID --limit 10"},
      {"ledger show",
       "show one order, its refunds and its history",
       "ledger show OUT_TRADE_NO [--ledger URL] [--json]",
       "Exit 1 when the ledger has no such order.",
       {kLedger,
        {"out-trade-no", "X", "the order number, instead of the OUT_TRADE_NO word"},
        kJson},
       "wechatpay ledger show A20261207001 --ledger ledger.db"},
      {"reconcile",
       "settle the ledger with WeChat: query, close, follow refunds",
       "reconcile [--ledger URL] [--watch] [--interval SECONDS] [--batch N] [--json] | "
       "reconcile --bill-date YYYY-MM-DD [--bill-file FILE] [--ledger URL] [--json]",
       "One pass with the configuration's merchant, printing leased, queried, closed, resolved, "
       "flagged and errors; exit 1 when some order could not be settled (it stays due). With "
       "--bill-date: that day's trade bill (downloaded, digest-checked; or --bill-file) against "
       "the ledger, every difference printed and recorded on its order for review; exit 7 when "
       "there are differences.",
       {kLedger,
        {"bill-date", "YYYY-MM-DD",
         "reconcile this Beijing day's trade bill against the ledger instead of querying WeChat"},
        {"bill-file", "FILE",
         "with --bill-date: a downloaded, decompressed trade bill instead of downloading it"},
        {"watch", "", "run a pass every --interval until SIGINT or SIGTERM, then exit 0"},
        {"interval", "SECONDS",
         "seconds between two passes with --watch (at most 86400); default 30"},
        {"batch", "N", "at most N orders leased per pass; default 100"},
        kJson},
       "wechatpay --config cfg.json reconcile --ledger ledger.db --watch --interval 60"},
      {"demo",
       "the whole Native flow offline against an embedded sandbox",
       "demo [--auto-pay-after SECONDS] [--ledger URL]",
       "Runs an embedded sandbox (WeChat's durations scaled by 0.1), a callback receiver, an "
       "order, its QR code, the payment and the verified callback, printing each step. Exit 0 once "
       "the payment succeeded and its callback was handled. Only in builds with the sandbox.",
       {{"auto-pay-after", "SECONDS",
         "the payer pays this many seconds after the QR code is shown (0 to 600, fractions "
         "allowed); default: on Enter at a terminal, else after 2 s"},
        {"ledger", "URL",
         "record in this ledger (sqlite:PATH or PATH.db, kept; postgresql://...); "
         "default a SQLite file in a temporary folder, removed at the end"}},
       "wechatpay demo --auto-pay-after 1"},
  };
}

}  // namespace

std::vector<CommandHelp> const& CommandHelpTable() {
  static std::vector<CommandHelp> const table = MakeTable();
  return table;
}

}  // namespace wechatpay::cli
