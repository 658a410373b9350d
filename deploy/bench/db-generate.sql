-- The database benchmark's data (deploy/bench/db.sh): a team-evaluation app's tables at scale, made
-- with SQL only. Run as the database's owner with psql -v n=EVALUATIONS; about 1000 bytes of database
-- per evaluation (db.sh sizes n from TEAFLEET_BENCH_DB_MB). Rows differ from each other (random
-- picks, numbers, timestamps) and text is made of words and phrases, so compression ratios mean
-- something: neither all-identical rows nor incompressible noise.
\set ON_ERROR_STOP on
SET synchronous_commit = off;

CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
INSERT INTO alembic_version VALUES ('b3nch0000001');

-- Phrases for free text: 5000 of 3-14 words each from a small vocabulary (the repetition of real
-- comments, at word level).
CREATE TEMP TABLE vocabulary AS SELECT string_to_array(
  'the team worked well together and communicated clearly about deadlines but some members did not '
  'contribute enough to the final report presentation code review planning was good could improve '
  'on feedback very helpful always on time late missed meeting excellent analysis design testing '
  'documentation quality needs more effort great leadership took initiative shared knowledge '
  'listened others ideas respectful attitude sprint backlog user stories retrospective demo '
  'database api frontend backend deployment bug fixes refactoring pair programming research '
  'interviews prototype usability survey results conclusion introduction method discussion '
  'sources references grammar structure argument evidence creative solution problem scope '
  'estimate hours week month next step goal learning reflection peer assessment criteria score '
  'rubric level beginning developing proficient advanced', ' ') AS w;
CREATE TEMP TABLE phrases AS
SELECT p AS id, (SELECT string_agg(w[r.i], ' ') FROM (SELECT 1 + (random() * (cardinality(w) - 1))::int AS i FROM generate_series(1, 3 + p % 12)) r) AS text
FROM generate_series(0, 4999) p, vocabulary;

CREATE TABLE users (
  id integer PRIMARY KEY,
  email text NOT NULL,
  full_name text NOT NULL,
  role text NOT NULL,
  school_id integer NOT NULL,
  created_at timestamptz NOT NULL,
  last_login_at timestamptz
);
INSERT INTO users
SELECT g,
       'user' || g || '.' || substr(md5(g::text), 1, 6) || '@school' || (g % 40) || '.example.nl',
       (ARRAY['Anna','Bram','Chloé','Daan','Emma','Finn','Julia','Lars','Lotte','Milan','Noah','Sara','Sem','Tess','Yara','Zoë'])[1 + (random() * 15)::int]
         || ' ' || (ARRAY['de Jong','Jansen','de Vries','van den Berg','Bakker','Visser','Smit','Meijer','Mulder','de Boer','Bos','Vos','Peters','Hendriks','Dekker','Brouwer'])[1 + (random() * 15)::int],
       CASE WHEN g % 25 = 0 THEN 'teacher' WHEN g % 500 = 0 THEN 'admin' ELSE 'student' END,
       1 + g % 40,
       timestamptz '2021-08-01 00:00+00' + random() * interval '900 days',
       CASE WHEN random() < 0.9 THEN timestamptz '2024-01-01 00:00+00' + random() * interval '300 days' END
FROM generate_series(1, greatest(:n / 20, 100)) g;

CREATE TABLE teams (
  id integer PRIMARY KEY,
  course_code text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO teams
SELECT g,
       (ARRAY['INF','BIO','ECO','WIS','NAT','GES'])[1 + g % 6] || (100 + g % 300),
       'Team ' || g || ' ' || w[1 + g % cardinality(w)],
       timestamptz '2021-08-01 00:00+00' + random() * interval '900 days'
FROM generate_series(1, greatest(:n / 100, 10)) g, vocabulary;

CREATE TABLE evaluations (
  id bigint PRIMARY KEY,
  team_id integer NOT NULL,
  evaluator_id integer NOT NULL,
  evaluatee_id integer NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  submitted_at timestamptz
);
INSERT INTO evaluations
SELECT g,
       1 + (random() * (greatest(:n / 100, 10) - 1))::int,
       1 + (random() * (greatest(:n / 20, 100) - 1))::int,
       1 + (random() * (greatest(:n / 20, 100) - 1))::int,
       (ARRAY['draft','submitted','submitted','reviewed','final','final'])[1 + (random() * 5)::int],
       timestamptz '2022-09-01 00:00+00' + g * (interval '700 days' / :n) + random() * interval '2 hours',
       CASE WHEN random() < 0.8 THEN timestamptz '2022-09-01 00:00+00' + g * (interval '700 days' / :n) + random() * interval '5 days' END
FROM generate_series(1, :n) g;

-- Five criteria per evaluation, scores 1-5 leaning to 3-4.
CREATE TABLE scores (
  evaluation_id bigint NOT NULL,
  criterion smallint NOT NULL,
  score smallint NOT NULL,
  PRIMARY KEY (evaluation_id, criterion)
);
INSERT INTO scores
SELECT e, c, least(5, greatest(1, round(3.4 + random() * 1.6 - random() * 1.6)))::smallint
FROM generate_series(1, :n) e, generate_series(1, 5) c;

-- A comment for every other evaluation: one to three phrases and sometimes a number.
CREATE TABLE comments (
  id bigint PRIMARY KEY,
  evaluation_id bigint NOT NULL,
  author_id integer NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO comments
SELECT s.g, s.g * 2, 1 + (random() * (greatest(:n / 20, 100) - 1))::int,
       initcap(p1.text) || '. ' || CASE WHEN s.k > 0 THEN initcap(p2.text) || '. ' ELSE '' END
         || CASE WHEN s.k > 1 THEN initcap(p3.text) || ' (' || (random() * 100)::int || '%).' ELSE '' END,
       timestamptz '2022-09-01 00:00+00' + s.g * (interval '1400 days' / :n) + random() * interval '3 days'
FROM (SELECT g, (random() * 4999)::int AS a, (random() * 4999)::int AS b, (random() * 4999)::int AS c, (random() * 2)::int AS k
      FROM generate_series(1, :n / 2) g) s
JOIN phrases p1 ON p1.id = s.a JOIN phrases p2 ON p2.id = s.b JOIN phrases p3 ON p3.id = s.c;

-- An audit line per evaluation, with a JSON payload.
CREATE TABLE audit_log (
  id bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  user_id integer,
  action text NOT NULL,
  details jsonb NOT NULL
);
INSERT INTO audit_log
SELECT g,
       timestamptz '2022-09-01 00:00+00' + g * (interval '700 days' / :n) + random() * interval '1 hour',
       1 + (random() * (greatest(:n / 20, 100) - 1))::int,
       (ARRAY['evaluation.create','evaluation.submit','evaluation.review','score.update','comment.add','login'])[1 + (random() * 5)::int],
       jsonb_build_object('evaluation_id', g, 'ip', '10.' || (random() * 255)::int || '.' || (random() * 255)::int || '.' || (random() * 255)::int,
                          'agent', (ARRAY['Mozilla/5.0 (Windows NT 10.0; Win64; x64)','Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)','Mozilla/5.0 (X11; Linux x86_64)','Mozilla/5.0 (iPhone; CPU iPhone OS 17_4)'])[1 + (random() * 3)::int],
                          'before', (random() * 5)::int, 'after', (random() * 5)::int, 'ms', (random() * 900)::int)
FROM generate_series(1, :n) g;

CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX evaluations_team_id_idx ON evaluations (team_id);
CREATE INDEX evaluations_evaluatee_id_idx ON evaluations (evaluatee_id);
CREATE INDEX comments_evaluation_id_idx ON comments (evaluation_id);
CREATE INDEX audit_log_at_idx ON audit_log (at);
ALTER TABLE evaluations ADD FOREIGN KEY (team_id) REFERENCES teams (id);
ALTER TABLE scores ADD FOREIGN KEY (evaluation_id) REFERENCES evaluations (id);
ALTER TABLE comments ADD FOREIGN KEY (evaluation_id) REFERENCES evaluations (id);
