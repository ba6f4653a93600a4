"""What the tests' local HTTP servers share (fake_server.py, fake_chat.py,
fake_zotero.py): bind 127.0.0.1 on a free port, tell the test which by a
file written whole (a temporary name, then a rename), and stop by
themselves after a lifetime, so no test leaves a server behind."""
import os
import threading
from http.server import ThreadingHTTPServer


def serve(handler, port_file, lifetime, **attributes):
    """Serves handler until lifetime seconds have passed; attributes are set
    on the server for the handler to read (self.server.NAME)."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    for name, value in attributes.items():
        setattr(srv, name, value)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_port))
    os.rename(port_file + ".tmp", port_file)
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever()
