#!/usr/bin/env python3
"""A real SMTP server for paperwire's tests (aiosmtpd, from Debian's
python3-aiosmtpd), on 127.0.0.1 only; with --tls-cert it requires STARTTLS.  Each message received is saved as
OUTDIR/N.eml with its envelope in OUTDIR/N.json.  Writes its port to
--port-file and exits by itself after --lifetime seconds."""
import argparse
import asyncio
import json
import os
import ssl

from aiosmtpd.smtp import SMTP


class Saver:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, str(self.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--tls-cert", help="offer STARTTLS with this certificate, and require it")
    ap.add_argument("--tls-key")
    args = ap.parse_args()
    handler = Saver(args.outdir)
    loop = asyncio.get_running_loop()
    kwargs = {}
    if args.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        kwargs = {"tls_context": ctx, "require_starttls": True}
    server = await loop.create_server(lambda: SMTP(handler, hostname="127.0.0.1", **kwargs), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(args.port_file + ".tmp", args.port_file)
    await asyncio.sleep(args.lifetime)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
