"""Every request and response shape of the API, one module a resource, so OpenAPI (and /docs) is exact.

Field names are the contract shared with the page and with scripts; add fields freely, rename none.
Requests that carry user-settable fields are built from `engine.fields` with the server's settings
(`network_in.build`), so a range is written once and OpenAPI shows the limits in force.
"""
