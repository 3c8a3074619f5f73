#!/bin/sh
# Registers Redress's namespace and custom search attributes on a Temporal cluster.
# Creates only what is missing, so it is safe on every start (compose runs it once per
# `up`, before the API and workers start). Needs the `temporal` CLI (admin-tools image).
set -eu
ADDRESS="${TEMPORAL_ADDRESS:?the frontend, e.g. temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# How long Temporal keeps a closed workflow's history; the API answers from its own read
# model after that.
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
ATTEMPTS="${TEMPORAL_SETUP_ATTEMPTS:-60}"

# Name=Type, as domain/search_attributes.py declares them (a test keeps the two equal).
SEARCH_ATTRIBUTES="
ComplaintCategory=Keyword
ComplaintTier=Keyword
ComplaintStatus=Keyword
CustomerTier=Keyword
OrderId=Keyword
SlaBreached=Bool
ReturnStatus=Keyword
ReturnReason=Keyword
ReturnOutcome=Keyword
ReturnCourier=Keyword
ReturnOverdue=Bool
"

# Runs a command until it succeeds: a new cluster, or a namespace just created, takes a
# few seconds to answer.
retry() {
    attempt=1
    until "$@"; do
        if [ "$attempt" -ge "$ATTEMPTS" ]; then
            echo "gave up after $ATTEMPTS attempts: $*" >&2
            return 1
        fi
        attempt=$((attempt + 1))
        sleep 2
    done
}

retry temporal operator cluster health --address "$ADDRESS" >/dev/null

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
    echo "namespace $NAMESPACE: exists"
else
    temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" \
        --address "$ADDRESS"
    echo "namespace $NAMESPACE: created (retention $RETENTION)"
fi

list_attributes() {
    temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS"
}
retry list_attributes >/dev/null
registered=$(list_attributes)
for entry in $SEARCH_ATTRIBUTES; do
    name=${entry%%=*}
    kind=${entry#*=}
    if printf '%s\n' "$registered" | grep -qw "$name"; then
        echo "search attribute $name: exists"
        continue
    fi
    retry temporal operator search-attribute create --namespace "$NAMESPACE" \
        --name "$name" --type "$kind" --address "$ADDRESS"
    echo "search attribute $name: created ($kind)"
done
