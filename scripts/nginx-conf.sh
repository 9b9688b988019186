# Sourced by samples/make-samples.sh and scripts/kernel-truth.sh: the nginx they run for real traffic.
#
# td_nginx_conf DIR KEEPALIVE_TIMEOUT EXTRA_HTTP_DIRECTIVES SERVER...
#   Writes DIR/nginx.conf (plus DIR/index.html, DIR/logs, DIR/tmp) for a single-process nginx run with
#   `nginx -p DIR -c DIR/nginx.conf`. Each SERVER is "ADDR:PORT" optionally followed by directives for
#   that server, e.g. "127.0.0.1:8081 keepalive_requests 2;". Every server serves DIR/index.html.
#   The access log (DIR/logs/access.log) has one line per request: the client port, nginx's connection
#   serial number, the requests so far on that connection, the request's version and Connection header
#   (what tdnet.py expect reads). Not $sent_http_connection: nginx logs "close" there for keep-alive
#   responses too.
td_nginx_conf() {
    local dir=$1 ka=$2 extra=$3 spec listen directives servers=""
    shift 3
    for spec in "$@"; do
        listen=${spec%% *}
        directives=""; [ "$spec" != "$listen" ] && directives="${spec#* }
        "
        servers+="    server {
        listen $listen;
        ${directives}root $dir;
        location / { index index.html; }
    }
"
    done
    mkdir -p "$dir/logs" "$dir/tmp"
    echo "hello from nginx" > "$dir/index.html"
    cat > "$dir/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log info;
events { worker_connections 64; }
http {
    log_format td 'port=\$remote_port conn=\$connection n=\$connection_requests '
                  'req_proto=\$server_protocol req_conn="\$http_connection" status=\$status "\$request"';
    access_log $dir/logs/access.log td;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_timeout $ka;
    $extra
${servers}}
CONF
}
