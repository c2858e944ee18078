/// `GET /openapi.yaml`: the whole API as OpenAPI 3.1. A test checks that every route the router
/// serves is described here and every path described here is served.
enum OpenAPIDocument {
    static let yaml = #"""
    openapi: 3.1.0
    info:
      title: Case ledger — the service hall's API
      version: "1.0"
      description: >
        Every write is checked by the case rules and appended to the hash-chained log; every read
        comes from the views. Bearer tokens carry a role (clerk, manager, analyst, auditor, admin);
        the actor of a recorded event is the token's holder. Errors are {"error": CODE, "message": TEXT}.
    servers:
      - url: http://127.0.0.1:8080
    security:
      - bearer: []
    paths:
      /cases/{case}/events:
        post:
          summary: Record one event or several, atomically, checked by the case rules
          parameters:
            - $ref: "#/components/parameters/case"
            - name: If-Match
              in: header
              description: The case's expected version (e.g. "3").
              schema: {type: string}
            - name: If-None-Match
              in: header
              description: '"*": the case must not exist yet.'
              schema: {type: string}
            - name: Idempotency-Key
              in: header
              description: Retrying with the same key records the events once.
              schema: {type: string, maxLength: 200}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  oneOf:
                    - $ref: "#/components/schemas/NewEvent"
                    - type: array
                      items: {$ref: "#/components/schemas/NewEvent"}
                    - type: object
                      required: [events]
                      properties:
                        expectedVersion:
                          oneOf: [{type: integer, minimum: 0}, {const: noStream}]
                        events:
                          type: array
                          items: {$ref: "#/components/schemas/NewEvent"}
          responses:
            "201":
              description: Recorded (or, for a retry, recorded before); the views show it
              headers:
                ETag: {schema: {type: string}}
                Hall-Checkpoint: {schema: {type: string}}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Recorded"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /cases/{case}:
        get:
          summary: One case's state (JSON); a browser asking for HTML gets the auditor's timeline page
          parameters:
            - $ref: "#/components/parameters/case"
            - name: asOf
              in: query
              description: RFC 3339 or YYYY-MM-DD (the end of that day, CST); replayed from the log
              schema: {type: string}
            - $ref: "#/components/parameters/after"
          responses:
            "200":
              description: The case
              content:
                application/json:
                  schema:
                    type: object
                    required: [case, version, asOf, checkpoint]
                    properties:
                      case: {$ref: "#/components/schemas/CaseState"}
                      version: {type: [integer, "null"]}
                      asOf: {type: [string, "null"]}
                      checkpoint: {type: integer}
                text/html:
                  schema: {type: string}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /cases/{case}/history:
        get:
          summary: Every event of the case with seq, hash and its chain check
          parameters:
            - $ref: "#/components/parameters/case"
          responses:
            "200":
              description: The events
              content:
                application/json:
                  schema:
                    type: object
                    required: [case, events]
                    properties:
                      case: {type: string}
                      events:
                        type: array
                        items:
                          type: object
                          required: [seq, version, id, type, at, actor, data, hash, chainOK]
                          properties:
                            seq: {type: integer}
                            version: {type: integer}
                            id: {type: string}
                            type: {type: string}
                            at: {type: string}
                            actor: {type: string}
                            data: {}
                            hash: {type: string}
                            chainOK: {type: boolean}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /windows/{window}/queue:
        get:
          summary: The open, accepted cases at a window, by deadline
          parameters:
            - name: window
              in: path
              required: true
              schema: {type: string, pattern: "^[A-Za-z0-9-]{1,16}$"}
            - $ref: "#/components/parameters/after"
          responses:
            "200":
              description: The queue
              content:
                application/json:
                  schema:
                    type: object
                    required: [window, name, today, checkpoint, cases]
                    properties:
                      window: {type: string}
                      name: {type: [string, "null"]}
                      today: {type: string}
                      checkpoint: {type: integer}
                      cases: {type: array, items: {$ref: "#/components/schemas/CaseState"}}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /due:
        get:
          summary: Open cases due today or within N working days
          parameters:
            - name: within
              in: query
              required: true
              schema: {type: integer, minimum: 0, maximum: 250}
            - $ref: "#/components/parameters/window"
            - $ref: "#/components/parameters/after"
          responses:
            "200": {$ref: "#/components/responses/CaseList"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /overdue:
        get:
          summary: Open cases past their deadline
          parameters:
            - $ref: "#/components/parameters/window"
            - $ref: "#/components/parameters/after"
          responses:
            "200": {$ref: "#/components/responses/CaseList"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /bad-reviews:
        get:
          summary: >
            The 差评 work queue as `ledger bad-reviews` lists it (reviews: each review's stage, deadlines and the
            times of its steps); the open, unrectified 差评 with their rectification deadlines; the rectified counts
          parameters:
            - name: open
              in: query
              description: Only reviews still in the loop (default true; false lists the closed and excluded too)
              schema: {type: boolean}
            - name: dueWithin
              in: query
              schema: {type: integer, minimum: 0, maximum: 250}
            - $ref: "#/components/parameters/window"
            - $ref: "#/components/parameters/after"
          responses:
            "200":
              description: The bad reviews
              content:
                application/json:
                  schema:
                    type: object
                    required: [today, checkpoint, totals, open, count, reviews]
                    properties:
                      today: {type: string}
                      checkpoint: {type: integer}
                      totals: {type: object}
                      count: {type: integer}
                      reviews: {type: array, items: {$ref: "#/components/schemas/BadReview"}}
                      open:
                        type: array
                        items:
                          type: object
                          required: [case, window, item, reviewedOn, deadline, overdue]
                          properties:
                            case: {type: string}
                            window: {type: string}
                            item: {type: string}
                            reviewedOn: {type: string}
                            deadline: {type: [string, "null"]}
                            overdue: {type: boolean}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /reports/{name}:
        get:
          summary: An analysts' report as JSON or CSV
          parameters:
            - name: name
              in: path
              required: true
              schema: {type: string, enum: [processing-time, convenience, evaluations, gold-windows]}
            - name: year
              in: query
              schema: {type: integer, minimum: 1, maximum: 9999}
            - name: quarter
              in: query
              schema: {type: integer, minimum: 1, maximum: 4}
            - name: by
              in: query
              schema: {type: string, enum: [quarter, level, department, window, item]}
            - name: format
              in: query
              schema: {type: string, enum: [json, csv]}
            - $ref: "#/components/parameters/after"
          responses:
            "200":
              description: The report
              content:
                application/json:
                  schema: {type: object}
                text/csv:
                  schema: {type: string}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /digest:
        get:
          summary: "The log's head: its seq and chain hash, and the digest to publish (tree size and Merkle root, as `ledger digest` prints it)"
          responses:
            "200":
              description: The digest
              content:
                application/json:
                  schema:
                    type: object
                    required: [seq, hash, digest]
                    properties:
                      seq: {type: integer}
                      hash: {type: string}
                      digest: {type: string}
            "401": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /verify:
        get:
          summary: Re-hash a range of the log and check every link
          parameters:
            - name: from
              in: query
              schema: {type: integer, minimum: 1}
            - name: to
              in: query
              schema: {type: integer, minimum: 1}
          responses:
            "200":
              description: The outcome (ok, or the first bad seq)
              content:
                application/json:
                  schema:
                    type: object
                    required: [ok]
                    properties:
                      ok: {type: boolean}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /catalog:
        post:
          summary: >
            Publish a new catalog item (admin), coming into force at "effective"; an itemPublished event on the
            catalog stream through the rules (422 when the item is already in the catalog, nothing written)
          parameters:
            - $ref: "#/components/parameters/idempotencyKey"
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/CatalogChange"}
          responses:
            "201":
              description: Recorded on the catalog stream
              headers:
                Location: {schema: {type: string}}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/CatalogChanged"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
        get:
          summary: The catalog's service items in force (every role); ?asOf replays the catalog stream to a moment
          parameters:
            - $ref: "#/components/parameters/asOf"
          responses:
            "200":
              description: The items, by code
              content:
                application/json:
                  schema:
                    type: object
                    required: [asOf, count, items]
                    properties:
                      asOf: {type: [string, "null"]}
                      count: {type: integer}
                      items: {type: array, items: {$ref: "#/components/schemas/CatalogItem"}}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /catalog/{item}:
        post:
          summary: >
            Revise a catalog item (admin): its new version (new time limits, a new name…) comes into force at
            "effective"; an itemRevised event through the rules (422 when the item is not in the catalog, or the
            date is before its current version's; nothing written)
          parameters:
            - name: item
              in: path
              required: true
              schema: {type: string}
              example: LZH-Q-0001
            - $ref: "#/components/parameters/idempotencyKey"
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/CatalogChange"}
          responses:
            "201":
              description: Recorded on the catalog stream
              headers:
                Location: {schema: {type: string}}
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/CatalogChanged"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
        get:
          summary: One item as it stood (every role), with the events that published and revised it
          parameters:
            - name: item
              in: path
              required: true
              schema: {type: string}
              example: LZH-Q-0001
            - $ref: "#/components/parameters/asOf"
          responses:
            "200":
              description: The item
              content:
                application/json:
                  schema:
                    type: object
                    required: [asOf, item, revisions]
                    properties:
                      asOf: {type: [string, "null"]}
                      item: {$ref: "#/components/schemas/CatalogItem"}
                      revisions:
                        type: array
                        items:
                          type: object
                          required: [seq, type, at, actor]
                          properties:
                            seq: {type: integer}
                            type: {type: string, enum: [itemPublished, itemRevised]}
                            at: {type: string}
                            actor: {type: string}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /grants:
        get:
          summary: 首席服务员 grants from the ADMIN stream (admin, manager, auditor); ?asOf those in force then
          parameters:
            - $ref: "#/components/parameters/asOf"
            - name: clerk
              in: query
              schema: {type: string, minLength: 1, maxLength: 64}
          responses:
            "200":
              description: The grants, in the order made
              content:
                application/json:
                  schema:
                    type: object
                    required: [asOf, count, grants]
                    properties:
                      asOf: {type: [string, "null"]}
                      count: {type: integer}
                      grants: {type: array, items: {$ref: "#/components/schemas/Grant"}}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
        post:
          summary: >
            Grant a clerk (a 首席服务员) a department their window does not host (admin): a departmentGranted
            event on the ADMIN stream through the rules (422 with the rule's reason when refused; nothing written)
          parameters:
            - $ref: "#/components/parameters/idempotencyKey"
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [clerk, department]
                  additionalProperties: false
                  properties:
                    clerk: {type: string, minLength: 1, maxLength: 64, example: clerk-06}
                    department: {type: string, minLength: 1, maxLength: 100, example: 水务}
                    at: {type: string, description: "RFC 3339 or YYYY-MM-DD (00:00 CST); default now"}
          responses:
            "201":
              description: Granted
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Grant"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /grants/{id}/revoke:
        post:
          summary: Revoke a grant (admin) with a departmentGrantRevoked event; the grant stays listed, revoked
          parameters:
            - name: id
              in: path
              required: true
              description: The grant's id (the seq of its departmentGranted event)
              schema: {type: string}
              example: "42"
            - $ref: "#/components/parameters/idempotencyKey"
          requestBody:
            required: false
            content:
              application/json:
                schema:
                  type: object
                  additionalProperties: false
                  properties:
                    at: {type: string, description: "RFC 3339 or YYYY-MM-DD (00:00 CST); default now"}
          responses:
            "200":
              description: Revoked
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Grant"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /tokens:
        get:
          summary: The server's tokens (admin) — ids, holders, roles, windows; never a token or its hash
          responses:
            "200":
              description: Every token, revoked ones included
              content:
                application/json:
                  schema:
                    type: object
                    required: [count, live, tokens]
                    properties:
                      count: {type: integer}
                      live: {type: integer}
                      tokens: {type: array, items: {$ref: "#/components/schemas/TokenRecord"}}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
            "500": {$ref: "#/components/responses/Error"}
        post:
          summary: Issue a token (admin); the answer holds it, the only time it is shown — the file keeps its SHA-256
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [name, role]
                  additionalProperties: false
                  properties:
                    name: {type: string, minLength: 1, maxLength: 64, example: clerk-07}
                    role: {type: string, enum: [clerk, manager, analyst, auditor, admin]}
                    windows: {type: array, items: {type: string}, description: "A clerk's windows (at least one)"}
                    departments: {type: array, items: {type: string}, description: "A clerk's extra departments (the API scope)"}
          responses:
            "201":
              description: Issued
              content:
                application/json:
                  schema:
                    allOf:
                      - $ref: "#/components/schemas/TokenRecord"
                      - type: object
                        required: [token]
                        properties:
                          token: {type: string}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "422": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
            "500": {$ref: "#/components/responses/Error"}
      /tokens/{id}/revoke:
        post:
          summary: Revoke a token (admin); it is refused from the next request on
          parameters:
            - name: id
              in: path
              required: true
              schema: {type: string}
              example: 0123456789ab
          responses:
            "200":
              description: Revoked
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/TokenRecord"}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
            "500": {$ref: "#/components/responses/Error"}
      /applicants/{pseudonym}/contact:
        get:
          summary: >
            An applicant's contact for a call-back (回访): clerks only, from one of their windows that holds one of
            the applicant's cases; the read is recorded on the log's ACCESS stream first. Not with the pages' cookie.
          parameters:
            - $ref: "#/components/parameters/pseudonym"
            - name: window
              in: query
              description: The clerk's window to read from (default the first of theirs that holds one of the applicant's cases)
              schema: {type: string}
            - name: reason
              in: query
              description: Why the contact is read (recorded); default 回访
              schema: {type: string, minLength: 1, maxLength: 1000}
          responses:
            "200":
              description: The contact
              content:
                application/json:
                  schema:
                    type: object
                    required: [pseudonym, name, mobile, idNumber, added, window]
                    properties:
                      pseudonym: {type: string}
                      name: {type: string}
                      mobile: {type: string}
                      idNumber: {type: [string, "null"]}
                      added: {type: string}
                      window: {type: string}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "410": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
            "500": {$ref: "#/components/responses/Error"}
      /applicants/{pseudonym}/erase:
        post:
          summary: Erase an applicant's contact for good (admin); the log is untouched and keeps verifying
          parameters:
            - $ref: "#/components/parameters/pseudonym"
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [reason]
                  properties:
                    reason: {type: string, minLength: 1, maxLength: 1000}
          responses:
            "200":
              description: Erased
              content:
                application/json:
                  schema:
                    type: object
                    required: [pseudonym, erased, by, reason]
                    properties:
                      pseudonym: {type: string}
                      erased: {type: string}
                      by: {type: string}
                      reason: {type: string}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "404": {$ref: "#/components/responses/Error"}
            "409": {$ref: "#/components/responses/Error"}
            "413": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
            "500": {$ref: "#/components/responses/Error"}
      /applicants/{pseudonym}/accesses:
        get:
          summary: Who read or erased an applicant's contact, when and why (auditor), from the ACCESS stream
          parameters:
            - $ref: "#/components/parameters/pseudonym"
          responses:
            "200":
              description: The recorded reads and erasures
              content:
                application/json:
                  schema:
                    type: object
                    required: [pseudonym, accesses]
                    properties:
                      pseudonym: {type: string}
                      accesses:
                        type: array
                        items:
                          type: object
                          required: [seq, at, actor, type, reason]
                          properties:
                            seq: {type: integer}
                            at: {type: string}
                            actor: {type: string}
                            type: {type: string, enum: [contactRead, contactErased]}
                            reason: {type: string}
            "400": {$ref: "#/components/responses/Error"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /healthz:
        get:
          summary: Liveness
          security: []
          responses:
            "200":
              description: Alive
              content:
                application/json:
                  schema: {type: object, required: [status], properties: {status: {type: string}}}
      /readyz:
        get:
          summary: Ready when the views are caught up within a bound
          security: []
          responses:
            "200": {$ref: "#/components/responses/Readiness"}
            "503": {$ref: "#/components/responses/Readiness"}
      /metrics:
        get:
          summary: Prometheus metrics
          security: []
          responses:
            "200":
              description: Prometheus text exposition
              content:
                text/plain:
                  schema: {type: string}
      /openapi.yaml:
        get:
          summary: This document
          security: []
          responses:
            "200":
              description: OpenAPI 3.1
              content:
                application/yaml:
                  schema: {type: string}
      /:
        get:
          summary: The hall board (HTML; manager, auditor)
          responses:
            "200": {$ref: "#/components/responses/Page"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /board/fragment:
        get:
          summary: The board's section alone, for its live updates
          responses:
            "200": {$ref: "#/components/responses/Page"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /board/events:
        get:
          summary: Server-Sent Events, one each time the views move on
          responses:
            "200":
              description: An event stream
              content:
                text/event-stream:
                  schema: {type: string}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /dashboard:
        get:
          summary: The analysts' dashboard (HTML)
          responses:
            "200": {$ref: "#/components/responses/Page"}
            "401": {$ref: "#/components/responses/Error"}
            "403": {$ref: "#/components/responses/Error"}
            "429": {$ref: "#/components/responses/Error"}
      /public:
        get:
          summary: 政务公开, the published statistics (HTML, no token)
          security: []
          responses:
            "200": {$ref: "#/components/responses/Page"}
      /login:
        get:
          summary: The pages' sign-in form
          security: []
          responses:
            "200": {$ref: "#/components/responses/Page"}
        post:
          summary: Sign in with a token; the pages then read with an HttpOnly cookie
          security: []
          requestBody:
            content:
              application/x-www-form-urlencoded:
                schema: {type: object, properties: {token: {type: string}}}
          responses:
            "303": {description: Signed in}
            "401": {$ref: "#/components/responses/Page"}
            "413": {$ref: "#/components/responses/Error"}
      /logout:
        post:
          summary: Sign out of the pages
          security: []
          responses:
            "303": {description: Signed out}
      /static/hall.css:
        get:
          summary: The pages' stylesheet
          security: []
          responses:
            "200":
              description: CSS
              content:
                text/css:
                  schema: {type: string}
      /static/board.js:
        get:
          summary: The board's live-update script
          security: []
          responses:
            "200":
              description: JavaScript
              content:
                text/javascript:
                  schema: {type: string}
    components:
      securitySchemes:
        bearer:
          type: http
          scheme: bearer
      parameters:
        case:
          name: case
          in: path
          required: true
          schema: {type: string}
          example: LZH-2023-000001
        window:
          name: window
          in: query
          schema: {type: string}
        asOf:
          name: asOf
          in: query
          description: RFC 3339 or YYYY-MM-DD (the end of that day, CST)
          schema: {type: string}
        pseudonym:
          name: pseudonym
          in: path
          required: true
          schema: {type: string}
          example: P-00000000000000000000000000000000
        idempotencyKey:
          name: Idempotency-Key
          in: header
          description: Retrying with the same key records the event once.
          schema: {type: string, minLength: 1, maxLength: 200}
        after:
          name: Hall-After
          in: header
          description: Wait (bounded) until the views reach this seq
          schema: {type: string}
      responses:
        Error:
          description: An error
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        Page:
          description: An HTML page
          content:
            text/html:
              schema: {type: string}
        CaseList:
          description: Cases
          content:
            application/json:
              schema:
                type: object
                required: [today, checkpoint, count, cases]
                properties:
                  today: {type: string}
                  within: {type: integer}
                  checkpoint: {type: integer}
                  count: {type: integer}
                  cases: {type: array, items: {$ref: "#/components/schemas/CaseState"}}
        Readiness:
          description: Whether the views are caught up
          content:
            application/json:
              schema:
                type: object
                required: [status, head, checkpoint, lag]
                properties:
                  status: {type: string, enum: [ready, catching_up]}
                  head: {type: integer}
                  checkpoint: {type: integer}
                  lag: {type: integer}
      schemas:
        Error:
          type: object
          required: [error, message]
          properties:
            error: {type: string}
            message: {type: string}
            currentVersion: {type: integer}
        NewEvent:
          type: object
          required: [type]
          properties:
            id: {type: string, format: uuid}
            case: {type: string}
            type: {type: string}
            at: {type: string, description: RFC 3339 with a zone; default now}
            actor: {type: string, description: Must be the token's holder if given}
            data: {type: object}
        Recorded:
          type: object
          required: [case, positions, version, alreadyRecorded, checkpoint]
          properties:
            case: {type: string}
            positions:
              type: array
              items:
                type: object
                required: [seq, version]
                properties:
                  seq: {type: integer}
                  version: {type: integer}
            version: {type: integer}
            alreadyRecorded: {type: boolean}
            checkpoint: {type: integer}
        CatalogItem:
          type: object
          required: [code, name, department, level, legalDays, promisedDays, caseType, onlineCapable, maxVisits, crossProvince, metroCircle, themes]
          properties:
            code: {type: string}
            name: {type: string}
            department: {type: string}
            level: {type: string}
            legalDays: {type: integer}
            promisedDays: {type: integer}
            caseType: {type: string}
            onlineCapable: {type: boolean}
            maxVisits: {type: integer}
            crossProvince: {type: boolean}
            metroCircle: {type: boolean}
            themes: {type: array, items: {type: string}}
        CatalogChange:
          type: object
          required: [effective, item]
          additionalProperties: false
          properties:
            effective: {type: string, description: "When it comes into force: YYYY-MM-DD (00:00 CST) or RFC 3339", example: "2024-01-01"}
            item: {$ref: "#/components/schemas/CatalogItem"}
        CatalogChanged:
          type: object
          required: [seq, type, effective, actor, item]
          properties:
            seq: {type: integer}
            type: {type: string, enum: [itemPublished, itemRevised]}
            effective: {type: string}
            actor: {type: string}
            item: {$ref: "#/components/schemas/CatalogItem"}
        Grant:
          type: object
          required: [id, clerk, window, department, grantedAt, grantedBy, revokedAt, revokedBy, inForce]
          properties:
            id: {type: integer, description: The seq of the departmentGranted event}
            clerk: {type: string}
            window: {type: [string, "null"], description: "The clerk's own window (windows.json)"}
            department: {type: string}
            grantedAt: {type: string}
            grantedBy: {type: string}
            revokedAt: {type: [string, "null"]}
            revokedBy: {type: [string, "null"]}
            inForce: {type: boolean}
        TokenRecord:
          type: object
          required: [id, name, role, windows, departments, created, revoked, issuedBy, revokedBy]
          properties:
            id: {type: string}
            name: {type: string}
            role: {type: string, enum: [clerk, manager, analyst, auditor, admin]}
            windows: {type: array, items: {type: string}}
            departments: {type: array, items: {type: string}}
            created: {type: string}
            revoked: {type: [string, "null"]}
            issuedBy: {type: [string, "null"]}
            revokedBy: {type: [string, "null"]}
        BadReview:
          type: object
          required: [case, review, level, item, window, reviewedAt, stage, stageLabel, excluded, appealGround, holder, due,
                     workingDaysLeft, overdue, deadlines, steps]
          properties:
            case: {type: string}
            review: {type: integer}
            level: {type: integer}
            item: {type: [string, "null"]}
            window: {type: [string, "null"]}
            reviewedAt: {type: string}
            stage: {type: string, enum: [awaitingCallBack, awaitingRectification, underAppeal, awaitingFeedback, closed, excluded]}
            stageLabel: {type: string}
            excluded: {type: boolean}
            appealGround: {type: [string, "null"]}
            holder: {type: string}
            due: {type: [string, "null"]}
            workingDaysLeft: {type: [integer, "null"]}
            overdue: {type: boolean}
            deadlines:
              type: object
              required: [callBack, appeal, appealDecision, rectification, feedback]
              properties:
                callBack: {type: [string, "null"]}
                appeal: {type: [string, "null"]}
                appealDecision: {type: [string, "null"]}
                rectification: {type: [string, "null"]}
                feedback: {type: [string, "null"]}
            steps:
              type: object
              required: [calledBackAt, appealedAt, appealDecidedAt, rectifiedAt, fedBackAt]
              properties:
                calledBackAt: {type: [string, "null"]}
                appealedAt: {type: [string, "null"]}
                appealDecidedAt: {type: [string, "null"]}
                rectifiedAt: {type: [string, "null"]}
                fedBackAt: {type: [string, "null"]}
        CaseState:
          type: object
          required: [case, status, item, window, deadline, remainingWorkingDays, warning, suspended, today]
          properties:
            case: {type: string}
            status: {type: string}
            item: {type: [string, "null"]}
            window: {type: [string, "null"]}
            acceptedAt: {type: [string, "null"]}
            completedAt: {type: [string, "null"]}
            legalDays: {type: [integer, "null"]}
            promisedDays: {type: [integer, "null"]}
            extensionDays: {type: integer}
            deadline: {type: [string, "null"]}
            effectiveWorkingDays: {type: [integer, "null"]}
            remainingWorkingDays: {type: [integer, "null"]}
            onTime: {type: [boolean, "null"]}
            overdue: {type: boolean}
            suspended: {type: boolean}
            warning: {type: string, enum: [none, yellow, red]}
            visits: {type: integer}
            evaluation: {type: [integer, "null"]}
            today: {type: string}
    """#
}
