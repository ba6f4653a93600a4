/* The embedding scorer against the mock host: the builtin backend ranks a
 * library's neighbours first, by similarity or by its classifier, which
 * ratings move; arXiv ids in the profile are looked up once; Zotero
 * libraries are read page by page as their Link header says, never off
 * the API's origin;
 * the openai backend batches, caches and fails loudly on bad answers. */
#include "autoconf.h"

#include <string.h>

#include "../../plugins/scorers/embedding.h"
#include "paperwire/mock_host.h"
#include "pw_check.h"
#include "record.h"

const pw_plugin *pw_plugin_entry(void);

static const pw_plugin *P;
static const pw_host *H;

static pw_record *
paper(const char *id, const char *title, const char *abstract)
{
	pw_record *r = rec_new();
	rec_set(r, PW_F_ID, id);
	rec_set(r, PW_F_VERSION, "1");
	rec_set(r, PW_F_TITLE, title);
	rec_set(r, PW_F_ABSTRACT, abstract);
	return r;
}

static pw_instance *
instance(const char *opts, void **st)
{
	P = pw_plugin_entry();
	H = pwm_host();
	pw_instance *in = pwm_instance_new_json(P->options, opts);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(P->create(H, in, st), PW_OK);
	return in;
}

static double
score(pw_instance *in, void *st, pw_record *r, char *why)
{
	double v = -1;
	int veto = 0;
	ck_assert_int_eq(P->score(H, in, st, r, &v, &veto, why, 256), PW_OK);
	ck_assert_int_eq(veto, 0);
	return v;
}

START_TEST(builtin_ranks_the_library_neighbours_first)
{
	void *st;
	char opts[512], why[256];
	snprintf(opts, sizeof opts, "{\"profile\": [\"%s\"], \"method\": \"similarity\"}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	pw_instance *in = instance(opts, &st);
	pw_record *papers[4] = {
		paper("2611.00001", "Faster speculative decoding with tree drafts",
		      "A draft model proposes tokens; the target model verifies them in parallel to speed up "
		      "decoding."),
		paper("2611.00002", "Protein structure prediction with diffusion",
		      "We fold proteins with a diffusion model."),
		paper("2611.00003", "A survey of graph neural networks for chemistry", "Molecules as graphs."),
		paper("2611.00004", "Multiple decoding heads for LLM inference acceleration",
		      "Extra heads predict subsequent tokens, verified with tree attention."),
	};
	pwm_add_history(in, paper("2001.00001", "Old news about protein folding", "Proteins."));
	pw_delivery *d = pwm_delivery_new(papers, 4, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	double s[4];
	for (int i = 0; i < 4; i++)
		s[i] = score(in, st, papers[i], why);
	ck_assert(s[0] > 0.1 && s[3] > 0.1);
	/* Three times at least: in a corpus of nine papers few words are in
	 * two of them, and the protein paper keeps its "model" (0.51 against
	 * 0.12 when this was written). */
	ck_assert_msg(s[0] > 3 * s[1] && s[0] > 3 * s[2], "%f %f %f", s[0], s[1], s[2]);
	ck_assert_msg(s[3] > 3 * s[1] && s[3] > 3 * s[2], "%f %f %f", s[3], s[1], s[2]);
	score(in, st, papers[3], why);
	ck_assert_msg(strstr(why, "like \"Medusa: Simple LLM Inference Acceleration") != NULL, "%s", why);
	ck_assert_msg(strstr(why, "\" (similarity 0.") != NULL, "%s", why);
	pwm_delivery_free(d);
	for (int i = 0; i < 4; i++)
		rec_free(papers[i]);
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

/* The store's recent papers, none of them about the library's subject. */
static void
add_background(pw_instance *in)
{
	static const char *const topics[][2] = {
		{ "Protein structure prediction with diffusion", "We fold proteins with a diffusion model." },
		{ "Galaxy rotation curves without dark matter", "Modified gravity fits rotation curves." },
		{ "Graph neural networks for molecules", "Molecules as graphs for property prediction." },
		{ "Reinforcement learning for robot grasping", "A robot learns to grasp objects from pixels." },
		{ "Climate model downscaling with convolutional networks", "Regional precipitation forecasts." },
		{ "Topological phases of matter in twisted bilayers", "Band structure and superconductivity." },
		{ "A benchmark for medical image segmentation", "Organs in CT scans, annotated by radiologists." },
		{ "Causal inference from observational health records", "Treatment effects with confounders." },
	};
	for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++) {
		char id[32];
		snprintf(id, sizeof id, "2610.%05zu", i + 1);
		pwm_add_history(in, paper(id, topics[i][0], topics[i][1]));
	}
}

/* The classifier: the library's neighbours well above one half, the rest
 * well below, every value a probability, and the reason says on what. */
START_TEST(the_classifier_tells_the_library_from_the_background)
{
	void *st;
	char opts[512], why[256];
	snprintf(opts, sizeof opts, "{\"profile\": [\"%s\"]}", pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	pw_instance *in = instance(opts, &st);
	add_background(in);
	pw_record *near = paper("2611.00001", "Faster speculative decoding with tree drafts",
	                        "A draft model proposes tokens; the target model verifies them in parallel to speed "
	                        "up decoding with speculative sampling.");
	pw_record *far = paper("2611.00002", "Protein folding with equivariant diffusion", "Proteins fold.");
	pw_record *both[2] = { near, far };
	pw_delivery *d = pwm_delivery_new(both, 2, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	double s_near = score(in, st, near, why);
	ck_assert_msg(strstr(why, "; on ") && strstr(why, "decoding"), "%s", why);
	double s_far = score(in, st, far, why);
	ck_assert_msg(s_near > 0.5 && s_far < 0.3 && s_far >= 0, "near %.3f far %.3f", s_near, s_far);
	/* A second batch of the same run: its papers counted and scored by
	 * the same model, which is trained once a run. */
	pw_record *later[2] = { paper("2611.00003", "Galaxy rotation curves", "Dark matter halos of galaxies."),
		                paper("2611.00004", "Speculative decoding with draft models",
		                      "A draft model proposes tokens for speculative sampling.") };
	pw_delivery *d2 = pwm_delivery_new(later, 2, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d2), PW_OK);
	double s_galaxy = score(in, st, later[0], why), s_draft = score(in, st, later[1], why);
	ck_assert_msg(s_draft > 0.5 && s_galaxy < 0.3, "draft %.3f galaxy %.3f", s_draft, s_galaxy);
	const char *first = strstr(pwm_log(in), "classifier: trained on");
	ck_assert_msg(first && !strstr(first + 1, "classifier: trained on"), "%s", pwm_log(in));
	pwm_delivery_free(d2);
	rec_free(later[0]);
	rec_free(later[1]);
	pwm_delivery_free(d);
	rec_free(near);
	rec_free(far);
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

/* Ratings: a dislike lowers the papers like it; a like raises them. */
START_TEST(ratings_move_the_papers_like_them)
{
	char opts[512], why[256];
	snprintf(opts, sizeof opts, "{\"profile\": [\"%s\"]}", pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	pw_record *heads = paper("2611.00004", "More decoding heads for LLM inference acceleration",
	                         "Extra heads predict subsequent tokens, verified with tree attention.");
	pw_record *robot = paper("2611.00005", "Robot grasping from pixels with reinforcement learning",
	                         "A robot arm learns to grasp objects.");
	pw_record *day[2] = { heads, robot };
	pw_delivery *d = pwm_delivery_new(day, 2, NULL);
	double before[2], after[2];
	for (int rated = 0; rated < 2; rated++) {
		void *st;
		pw_instance *in = instance(opts, &st);
		add_background(in);
		if (rated) {
			pwm_add_rating(in, "2609.00001", -1,
			               paper("2609.00001", "Decoding heads for LLM inference acceleration, again",
			                     "Extra decoding heads predict subsequent tokens with tree attention."));
			pwm_add_rating(in, "2609.00002", 1,
			               paper("2609.00002", "Robot grasping with deep reinforcement learning",
			                     "A robot learns to grasp objects from camera pixels."));
		}
		ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
		double *s = rated ? after : before;
		s[0] = score(in, st, heads, why);
		s[1] = score(in, st, robot, why);
		P->destroy(H, in, st);
		pwm_instance_free(in);
	}
	ck_assert_msg(after[0] < before[0] - 0.1, "disliked neighbour: %.3f -> %.3f", before[0], after[0]);
	ck_assert_msg(after[1] > before[1] + 0.1, "liked neighbour: %.3f -> %.3f", before[1], after[1]);
	for (int i = 0; i < 2; i++)
		ck_assert(after[i] >= 0 && after[i] <= 1 && before[i] >= 0 && before[i] <= 1);
	pwm_delivery_free(d);
	rec_free(heads);
	rec_free(robot);
}

END_TEST

START_TEST(recency_weighs_newer_items_more)
{
	void *st1, *st2;
	char opts[512], why[256];
	pw_record *old =
	        paper("2611.00009", "Schrödinger equation and wave mechanics", "Quantisierung als Eigenwertproblem.");
	pw_delivery *d = pwm_delivery_new(&old, 1, NULL);
	snprintf(opts, sizeof opts, "{\"profile\": [\"%s\"], \"method\": \"similarity\", \"aggregate\": \"max\"}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	pw_instance *a = instance(opts, &st1);
	ck_assert_int_eq(P->prepare(H, a, st1, d), PW_OK);
	double flat = score(a, st1, old, why);
	snprintf(opts, sizeof opts,
	         "{\"profile\": [\"%s\"], \"method\": \"similarity\", \"recency\": true, \"aggregate\": \"max\"}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	pw_instance *b = instance(opts, &st2);
	ck_assert_int_eq(P->prepare(H, b, st2, d), PW_OK);
	double weighted = score(b, st2, old, why);
	/* The 1926 entry is the oldest of four: rank 3, weight 1/(1+log10(4)) */
	ck_assert_double_eq_tol(weighted, flat / (1 + 0.60206), 0.01);
	pwm_delivery_free(d);
	rec_free(old);
	P->destroy(H, a, st1);
	P->destroy(H, b, st2);
	pwm_instance_free(a);
	pwm_instance_free(b);
}

END_TEST

START_TEST(arxiv_ids_in_the_profile_are_looked_up_once)
{
	void *st;
	char why[256];
	pw_instance *in = instance("{\"profile\": [\"arXiv:2611.00001v1\", \"2611.00002\"], "
	                           "\"arxiv_api\": \"http://api/query\"}",
	                           &st);
	pwm_route_file(in, "id_list=2611.00001%2C2611.00002&start=0&max_results=2", 200,
	               pw_path("PW_SRCDIR", "tests/fixtures/api_paged.atom"));
	pw_record *p =
	        paper("2611.00005", "Tiny drafts for speculative decoding", "Speculative decoding, tiny drafts.");
	pw_delivery *d = pwm_delivery_new(&p, 1, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 1);
	score(in, st, p, why);
	ck_assert_msg(strstr(why, "like \"Speculative Decoding with Tiny Drafts\" (similarity "), "%s", why);
	pwm_delivery_free(d);
	rec_free(p);
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(zotero_items_are_written_as_the_api_names_libraries)
{
	char scope[128], err[512];
	int local = -1;
	ck_assert_int_eq(zotero_parse("zotero:users/12345", scope, sizeof scope, &local, err, sizeof err), 1);
	ck_assert_str_eq(scope, "/users/12345");
	ck_assert_int_eq(local, 0);
	ck_assert_int_eq(
	        zotero_parse("zotero:groups/7/collections/ABCD2345", scope, sizeof scope, &local, err, sizeof err), 1);
	ck_assert_str_eq(scope, "/groups/7/collections/ABCD2345");
	ck_assert_int_eq(zotero_parse("zotero:local", scope, sizeof scope, &local, err, sizeof err), 1);
	ck_assert_str_eq(scope, "/users/0");
	ck_assert_int_eq(local, 1);
	ck_assert_int_eq(zotero_parse("library.bib", scope, sizeof scope, &local, err, sizeof err), 0);
	const char *bad[] = { "zotero:user/1",
		              "zotero:users/",
		              "zotero:users/12x",
		              "zotero:users/1/collections/ABC",
		              "zotero:users/1/items",
		              "zotero:localhost",
		              NULL };
	for (size_t i = 0; bad[i]; i++) {
		err[0] = '\0';
		ck_assert_msg(zotero_parse(bad[i], scope, sizeof scope, &local, err, sizeof err) == -1, "%s", bad[i]);
		ck_assert_msg(strstr(err, "write zotero:users/ID"), "%s: %s", bad[i], err);
	}
}

END_TEST

static const char *
zotero_page(const char *key, const char *title, const char *abstract, char *buf, size_t size)
{
	snprintf(buf, size,
	         "[{\"key\": \"%s\", \"version\": 3, \"data\": {\"key\": \"%s\", \"itemType\": \"preprint\", "
	         "\"title\": \"%s\", \"abstractNote\": \"%s\", \"date\": \"2024-02-01\"}}]",
	         key, key, title, abstract);
	return buf;
}

START_TEST(zotero_pages_follow_link_on_the_api_origin_only)
{
	void *st;
	char why[256], page1[1024], page2[1024];
	pw_instance *in = instance("{\"profile\": [\"zotero:users/1\"], \"zotero_api\": \"http://zotero\", "
	                           "\"zotero_key\": \"k\"}",
	                           &st);
	/* The second page (start=100) first: routes match in the order added. */
	pwm_route(in, "&start=100", 200,
	          zotero_page("BBBBBBBB", "Speculative decoding with tiny drafts",
	                      "Tiny draft models propose tokens for speculative decoding.", page2, sizeof page2));
	pwm_route_header(in, "&start=100", "Link: <http://elsewhere/users/1/items/top?start=200>; rel=\"next\"");
	pwm_route(in, "http://zotero/users/1/items/top?", 200,
	          zotero_page("AAAAAAAA", "Coral reefs and ocean heat", "Bleaching of coral reefs.", page1,
	                      sizeof page1));
	pwm_route_header(in, "http://zotero/users/1/items/top?", "Last-Modified-Version: 42");
	pwm_route_header(in, "http://zotero/users/1/items/top?",
	                 "Link: <http://zotero/users/1/items/top?format=json&start=100>; rel=\"next\", "
	                 "<http://zotero/users/1/items/top?format=json&start=100>; rel=\"last\"");
	pw_record *p =
	        paper("2611.00005", "Tiny drafts for speculative decoding", "Speculative decoding, tiny drafts.");
	pw_delivery *d = pwm_delivery_new(&p, 1, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2); /* the third page is on another host: not asked */
	ck_assert_msg(
	        strstr(pwm_request_url(in, 0), "/users/1/items/top?format=json&limit=100&itemType=journalArticle"),
	        "%s", pwm_request_url(in, 0));
	ck_assert_msg(strstr(pwm_last_headers(in), "Zotero-API-Version: 3\nZotero-API-Key: k\n"), "%s",
	              pwm_last_headers(in));
	ck_assert_msg(strstr(pwm_log(in), "zotero:users/1: synced to version 42: 2 new, 0 changed, 0 removed; 2 items"),
	              "%s", pwm_log(in));
	score(in, st, p, why);
	ck_assert_msg(strstr(why, "like \"Speculative decoding with tiny drafts\""), "%s", why);
	pwm_delivery_free(d);
	rec_free(p);
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

/* A rated DOI the store lacks is looked up once on OpenAlex (the abstract
 * rebuilt from its inverted index) and cached; an unknown one is left out
 * with a warning; a failed lookup is a warning and is asked again. */
START_TEST(rated_dois_are_looked_up_on_openalex_once)
{
	void *st;
	char opts[512], why[256];
	snprintf(opts, sizeof opts,
	         "{\"profile\": [\"%s\"], \"openalex_api\": \"http://oa\", \"openalex_key\": \"ok\"}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	pw_instance *in = instance(opts, &st);
	pwm_add_rating(in, "10.1000/grasp", 1, NULL);
	pwm_add_rating(in, "10.1000/gone", -1, NULL);
	pwm_route(in,
	          "http://oa/works/doi:10.1000/grasp?select=id,display_name,publication_year,"
	          "abstract_inverted_index&api_key=ok",
	          200,
	          "{\"id\": \"https://openalex.org/W1\", \"display_name\": \"Robot grasping from camera pixels\", "
	          "\"publication_year\": 2024, \"abstract_inverted_index\": {\"A\": [0], \"robot\": [1], "
	          "\"learns\": [2], \"to\": [3], \"grasp\": [4], \"objects.\": [5]}}");
	pwm_route(in, "http://oa/works/doi:10.1000/gone", 404, "{\"error\": \"Not found\"}");
	pw_record *robot =
	        paper("2611.00005", "Robot grasping with reinforcement learning", "A robot learns to grasp.");
	pw_delivery *d = pwm_delivery_new(&robot, 1, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2);
	ck_assert_msg(strstr(pwm_log(in), "OpenAlex knows no work with the DOI 10.1000/gone: it is left out"), "%s",
	              pwm_log(in));
	score(in, st, robot, why);
	ck_assert_msg(strstr(why, "like \"Robot grasping from camera pixels\""), "%s", why);
	P->destroy(H, in, st);
	/* Another instance of the plugin: the known DOI comes from the cache. */
	ck_assert_int_eq(P->create(H, in, &st), PW_OK);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 3); /* only the unknown one again */
	P->destroy(H, in, st);
	pwm_delivery_free(d);
	rec_free(robot);
	pwm_instance_free(in);
}

END_TEST

static const char *two_vectors = "{\"object\": \"list\", \"data\": ["
                                 "{\"object\": \"embedding\", \"index\": 0, \"embedding\": [3, 0]},"
                                 "{\"object\": \"embedding\", \"index\": 1, \"embedding\": [0, 0.5]}],"
                                 "\"model\": \"m\"}";

/* arXiv ids that cannot be looked up cost themselves when the profile has
 * other papers; alone, they leave the scorer unable to score (RETRY), said once. */
START_TEST(unreachable_arxiv_ids_do_not_empty_the_profile)
{
	void *st;
	char opts[1024], why[256];
	snprintf(opts, sizeof opts,
	         "{\"profile\": [\"%s\", \"arXiv:1706.03762\"], \"arxiv_api\": \"http://api/query\"}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	pw_instance *in = instance(opts, &st);
	pwm_route(in, "http://api/query", 503, "busy");
	pw_record *p =
	        paper("2611.00005", "Tiny drafts for speculative decoding", "Speculative decoding, tiny drafts.");
	pw_delivery *d = pwm_delivery_new(&p, 1, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_msg(
	        strstr(pwm_log(in), "some of its 1 arXiv ids and DOIs could not be looked up (asked again next run)"),
	        "%s", pwm_log(in));
	ck_assert(score(in, st, p, why) > 0);
	P->destroy(H, in, st);
	pwm_instance_free(in);

	in = instance("{\"profile\": [\"arXiv:1706.03762\"], \"arxiv_api\": \"http://api/query\"}", &st);
	pwm_route(in, "http://api/query", 503, "busy");
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_RETRY);
	ck_assert(strstr(pwm_log(in), "its 1 arXiv ids and DOIs could not be looked up and it holds nothing else"));
	size_t asked = pwm_requests(in);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_RETRY); /* the next batch of the run: not asked again */
	ck_assert_uint_eq(pwm_requests(in), asked);
	pwm_delivery_free(d);
	rec_free(p);
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(openai_batches_caches_and_sends_the_key)
{
	void *st;
	char opts[512], why[256];
	snprintf(opts, sizeof opts,
	         "{\"profile\": [\"%s\"], \"backend\": \"openai\", \"method\": \"similarity\", \"endpoint\": "
	         "\"http://llm/v1\", "
	         "\"model\": \"m\", \"api_key\": \"sk-test\", \"dimensions\": 2, \"aggregate\": \"max\"}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.txt"));
	pw_instance *in = instance(opts, &st);
	pwm_route(in, "http://llm/v1/embeddings", 200, two_vectors);
	pw_record *papers[2] = { paper("2611.00001", "a", "b"), paper("2611.00002", "c", "d") };
	pw_delivery *d = pwm_delivery_new(papers, 2, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2); /* the profile, then the papers */
	ck_assert(strstr(pwm_last_headers(in), "Authorization: Bearer sk-test\n"));
	ck_assert(strstr(pwm_last_body(in), "\"model\":\"m\""));
	ck_assert(strstr(pwm_last_body(in), "\"dimensions\":2"));
	ck_assert_double_eq_tol(score(in, st, papers[0], why), 1.0, 1e-6);
	ck_assert_str_eq(why, "like \"Speculative decoding with tiny draft models\" (similarity 1.00)");
	ck_assert_double_eq_tol(score(in, st, papers[1], why), 1.0, 1e-6);
	ck_assert_str_eq(why, "like \"KV cache compression for long context inference\" (similarity 1.00)");
	/* Everything is cached: a second pass asks nothing. */
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
	ck_assert_uint_eq(pwm_requests(in), 2);
	pwm_delivery_free(d);
	rec_free(papers[0]);
	rec_free(papers[1]);
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

START_TEST(aggregates_combine_best_and_mean)
{
	void *st;
	char opts[512], why[256];
	const char *aggs[] = { "max", "mean", "both" };
	double v[3];
	for (int k = 0; k < 3; k++) {
		snprintf(opts, sizeof opts,
		         "{\"profile\": [\"%s\"], \"backend\": \"openai\", \"method\": \"similarity\", \"endpoint\": "
		         "\"http://llm/v1\", "
		         "\"aggregate\": \"%s\"}",
		         pw_path("PW_SRCDIR", "tests/fixtures/library.txt"), aggs[k]);
		pw_instance *in = instance(opts, &st);
		pwm_route(in, "http://llm/v1/embeddings", 200, two_vectors);
		pw_record *papers[2] = { paper("2611.00001", "a", "b"), paper("2611.00002", "c", "d") };
		pw_delivery *d = pwm_delivery_new(papers, 2, NULL);
		ck_assert_int_eq(P->prepare(H, in, st, d), PW_OK);
		v[k] = score(in, st, papers[0], why);
		pwm_delivery_free(d);
		rec_free(papers[0]);
		rec_free(papers[1]);
		P->destroy(H, in, st);
		pwm_instance_free(in);
	}
	/* [1,0] against a library of [1,0] and [0,1]: best 1, mean 0.5. */
	ck_assert_double_eq_tol(v[0], 1.0, 1e-6);
	ck_assert_double_eq_tol(v[1], 0.5, 1e-6);
	ck_assert_double_eq_tol(v[2], 0.75, 1e-6);
}

END_TEST

START_TEST(openai_malformed_answers_fail_loudly)
{
	void *st;
	char opts[512];
	snprintf(opts, sizeof opts, "{\"profile\": [\"%s\"], \"backend\": \"openai\", \"endpoint\": \"http://llm/v1\"}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.txt"));
	pw_instance *in = instance(opts, &st);
	pwm_route(in, "http://llm/v1/embeddings", 200, "{\"data\": [{\"embedding\": [1, 2]}");
	pw_record *p = paper("2611.00001", "a", "b");
	pw_delivery *d = pwm_delivery_new(&p, 1, NULL);
	ck_assert_int_eq(P->prepare(H, in, st, d), PW_ERROR);
	ck_assert_msg(strstr(pwm_log(in), "malformed answer: not JSON"), "%s", pwm_log(in));
	pwm_delivery_free(d);
	rec_free(p);
	P->destroy(H, in, st);
	pwm_instance_free(in);
	/* A profile none of whose items can be read is refused, with each
	 * item's reason... */
	in = pwm_instance_new_json(P->options, "{\"profile\": [\"/nonexistent.bib\"]}");
	ck_assert_int_eq(P->create(H, in, &st), PW_CONFIG_ERROR);
	ck_assert_msg(strstr(pwm_log(in), "profile[0]: /nonexistent.bib: No such file or directory"), "%s",
	              pwm_log(in));
	ck_assert(strstr(pwm_log(in), "profile: empty: nothing to compare papers with (no item of it could be read)"));
	pwm_instance_free(in);
	/* ...but one bad item among good ones costs only itself. */
	snprintf(opts, sizeof opts, "{\"profile\": [\"/nonexistent.bib\", \"%s\"]}",
	         pw_path("PW_SRCDIR", "tests/fixtures/library.bib"));
	in = pwm_instance_new_json(P->options, opts);
	ck_assert_int_eq(P->create(H, in, &st), PW_OK);
	ck_assert(strstr(pwm_log(in), "profile[0]: /nonexistent.bib: No such file or directory; the rest of the "
	                              "profile is used"));
	P->destroy(H, in, st);
	pwm_instance_free(in);
}

END_TEST

static Suite *
embedding_suite(void)
{
	Suite *s = suite_create("embedding");
	TCase *tc = tcase_create("embedding");
	tcase_add_test(tc, builtin_ranks_the_library_neighbours_first);
	tcase_add_test(tc, recency_weighs_newer_items_more);
	tcase_add_test(tc, the_classifier_tells_the_library_from_the_background);
	tcase_add_test(tc, ratings_move_the_papers_like_them);
	tcase_add_test(tc, arxiv_ids_in_the_profile_are_looked_up_once);
	tcase_add_test(tc, unreachable_arxiv_ids_do_not_empty_the_profile);
	tcase_add_test(tc, zotero_items_are_written_as_the_api_names_libraries);
	tcase_add_test(tc, rated_dois_are_looked_up_on_openalex_once);
	tcase_add_test(tc, zotero_pages_follow_link_on_the_api_origin_only);
	tcase_add_test(tc, openai_batches_caches_and_sends_the_key);
	tcase_add_test(tc, aggregates_combine_best_and_mean);
	tcase_add_test(tc, openai_malformed_answers_fail_loudly);
	suite_add_tcase(s, tc);
	return s;
}

PW_CHECK_MAIN(embedding_suite)
