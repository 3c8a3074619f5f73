"""The chaos run: the embedded stack under fire, and proof that nothing was lost or paid twice.

`python -m chaos` starts its own stack (Temporal's dev server on a SQLite file, two worker
processes and the API) in a temporary directory, with payment and courier failure
injection on. It drives complaints and returns through the HTTP API to refunds,
replacements and store credit while it SIGKILLs workers and restarts the dev server and
the API, then checks the store and the workflows: every case final, every refund, coupon,
credit, replacement, parcel, claim, courier event and notification there exactly once.
Customers are e-mailed over real SMTP to a mail server the run owns, and a platform's
endpoint it owns takes the signed events: every message and event arrives, an e-mail
twice only after a kill mid-send, events in each case's order.

- `plan`: what a run does (how many cases, kills and restarts, which faults);
- `processes`: the stack's programs, each started, killed and restarted on its own;
- `credentials`: API keys for the run's callers, made with the `redress` command;
- `scenarios`: the cases, their request bodies and the gateway's side of them;
- `api_client`: HTTP calls that retry across restarts with the same Idempotency-Key;
- `drivers`: each case driven through the API until it is final;
- `monkey`: the kills and restarts, aimed at workers paying out a refund or sending mail;
- `mail_sink`, `sockets`, `webhook_receiver`, `deliveries`: the customers' mail server
  (which tells the sending worker by its socket), the platform's endpoint, and both wired
  to the stack;
- `snapshot`, `checks`, `money_checks`, `courier_checks`, `outbox_checks`, `mail_checks`,
  `webhook_checks`, `findings`:
  the invariants, read from the store and from Temporal;
- `report`: the figures; `run`: all of it in order; `__main__`: the command line.
"""
