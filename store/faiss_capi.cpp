/*
 * faiss_capi.cpp — the part of FAISS's C API that cairn calls, defined over
 * the C++ library for systems (Debian 12) that ship libfaiss and the C API's
 * headers but no compiled libfaiss_c.
 *
 * Every function has the signature its <faiss/c_api/...> header declares
 * (the headers are included, so the compiler checks), and behaves as the
 * upstream implementation does, with one difference kept on purpose: errors
 * are never printed, only returned.  No C++ exception crosses into C: each
 * entry point catches everything, returns the C API's error code (-2 for a
 * FAISS exception, -4 for a standard one, -1 for anything else) and keeps
 * the message for faiss_get_last_error() in thread-local storage.  Where a
 * real libfaiss_c exists, mk/semantic.mk links it instead of this file and
 * the C callers do not change.
 */
#include <faiss/c_api/AutoTune_c.h>
#include <faiss/c_api/Index_c.h>
#include <faiss/c_api/MetaIndexes_c.h>
#include <faiss/c_api/error_c.h>
#include <faiss/c_api/impl/AuxIndexStructures_c.h>
#include <faiss/c_api/index_factory_c.h>
#include <faiss/c_api/index_io_c.h>

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <exception>
#include <new>
#include <string>

namespace {

thread_local std::string last_error;

/* Run f, turning whatever it throws into the C API's error codes. */
template <typename F>
int guarded(F f)
{
    try {
        f();
        return 0;
    } catch (const faiss::FaissException &e) {
        last_error = e.what();
        return -2;
    } catch (const std::exception &e) {
        last_error = e.what();
        return -4;
    } catch (...) {
        last_error = "unknown error";
        return -1;
    }
}

faiss::Index *cxx(FaissIndex *p) { return reinterpret_cast<faiss::Index *>(p); }
const faiss::Index *cxx(const FaissIndex *p) { return reinterpret_cast<const faiss::Index *>(p); }
FaissIndex *c_index(faiss::Index *p) { return reinterpret_cast<FaissIndex *>(p); }

} // namespace

extern "C" {

const char *faiss_get_last_error()
{
    return last_error.empty() ? nullptr : last_error.c_str();
}

/* ---- Index ---- */

void faiss_Index_free(FaissIndex *obj) { delete cxx(obj); }

int faiss_Index_d(const FaissIndex *obj) { return static_cast<int>(cxx(obj)->d); }

idx_t faiss_Index_ntotal(const FaissIndex *obj) { return static_cast<idx_t>(cxx(obj)->ntotal); }

int faiss_Index_add_with_ids(FaissIndex *index, idx_t n, const float *x, const idx_t *xids)
{
    return guarded([&] { cxx(index)->add_with_ids(n, x, xids); });
}

int faiss_Index_search(const FaissIndex *index, idx_t n, const float *x, idx_t k,
                       float *distances, idx_t *labels)
{
    return guarded([&] { cxx(index)->search(n, x, k, distances, labels); });
}

int faiss_Index_remove_ids(FaissIndex *index, const FaissIDSelector *sel, size_t *n_removed)
{
    return guarded([&] {
        size_t n = cxx(index)->remove_ids(*reinterpret_cast<const faiss::IDSelector *>(sel));
        if (n_removed)
            *n_removed = n;
    });
}

int faiss_Index_reconstruct(const FaissIndex *index, idx_t key, float *recons)
{
    return guarded([&] { cxx(index)->reconstruct(key, recons); });
}

int faiss_Index_reconstruct_n(const FaissIndex *index, idx_t i0, idx_t ni, float *recons)
{
    return guarded([&] { cxx(index)->reconstruct_n(i0, ni, recons); });
}

/* ---- factory and I/O ---- */

int faiss_index_factory(FaissIndex **p_index, int d, const char *description,
                        FaissMetricType metric)
{
    return guarded([&] {
        *p_index = c_index(faiss::index_factory(d, description,
                                                static_cast<faiss::MetricType>(metric)));
    });
}

int faiss_write_index(const FaissIndex *idx, FILE *f)
{
    return guarded([&] { faiss::write_index(cxx(idx), f); });
}

int faiss_read_index(FILE *f, int io_flags, FaissIndex **p_out)
{
    return guarded([&] { *p_out = c_index(faiss::read_index(f, io_flags)); });
}

/* ---- IndexIDMap2 ---- */

FaissIndexIDMap2 *faiss_IndexIDMap2_cast(FaissIndex *index)
{
    return reinterpret_cast<FaissIndexIDMap2 *>(dynamic_cast<faiss::IndexIDMap2 *>(cxx(index)));
}

void faiss_IndexIDMap2_id_map(FaissIndexIDMap2 *index, idx_t **p_id_map, size_t *p_size)
{
    auto *idx = reinterpret_cast<faiss::IndexIDMap2 *>(index);
    if (p_id_map)
        *p_id_map = idx->id_map.data();
    if (p_size)
        *p_size = idx->id_map.size();
}

FaissIndex *faiss_IndexIDMap2_sub_index(FaissIndexIDMap2 *index)
{
    return c_index(reinterpret_cast<faiss::IndexIDMap2 *>(index)->index);
}

/* ---- IDSelector ---- */

void faiss_IDSelector_free(FaissIDSelector *obj)
{
    delete reinterpret_cast<faiss::IDSelector *>(obj);
}

int faiss_IDSelectorBatch_new(FaissIDSelectorBatch **p_sel, size_t n, const idx_t *indices)
{
    return guarded([&] {
        *p_sel = reinterpret_cast<FaissIDSelectorBatch *>(new faiss::IDSelectorBatch(n, indices));
    });
}

/* ---- ParameterSpace ---- */

int faiss_ParameterSpace_new(FaissParameterSpace **space)
{
    return guarded([&] {
        *space = reinterpret_cast<FaissParameterSpace *>(new faiss::ParameterSpace());
    });
}

void faiss_ParameterSpace_free(FaissParameterSpace *obj)
{
    delete reinterpret_cast<faiss::ParameterSpace *>(obj);
}

int faiss_ParameterSpace_set_index_parameter(const FaissParameterSpace *space, FaissIndex *index,
                                             const char *name, double value)
{
    return guarded([&] {
        reinterpret_cast<const faiss::ParameterSpace *>(space)->set_index_parameter(
            cxx(index), name, value);
    });
}

} // extern "C"
