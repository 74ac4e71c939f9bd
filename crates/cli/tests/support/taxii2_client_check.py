"""Drives a Kuroshio node's TAXII 2.1 server with the OASIS taxii2-client library.

Discovery, the API root, the collections, a paged read of the events collection, an add
and its status, as the client library does them. Prints one JSON object with what it saw.

usage: taxii2_client_check.py DISCOVERY_URL USER TOKEN COLLECTION_ID OBJECT_JSON_FILE
"""

import json
import sys

from taxii2client.v21 import Server, as_pages

url, user, token, collection_id, object_file = sys.argv[1:6]
server = Server(url, user=user, password=token)
root = server.default
collection = next(c for c in root.collections if c.id == collection_id)
pages = 0
ids = []
for envelope in as_pages(collection.get_objects, per_request=100):
    pages += 1
    ids.extend(o["id"] for o in envelope.get("objects", []))
with open(object_file, encoding="utf-8") as f:
    obj = json.load(f)
status = collection.add_objects({"objects": [obj]})
status.refresh()
after = collection.get_object(obj["id"])
print(json.dumps({
    "title": server.title,
    "api_roots": [r.url for r in server.api_roots],
    "max_content_length": root.max_content_length,
    "collection_title": collection.title,
    "can_read": collection.can_read,
    "can_write": collection.can_write,
    "pages": pages,
    "ids": ids,
    "status": status.status,
    "success_count": status.success_count,
    "added_back": [o["id"] for o in after.get("objects", [])],
}))
